package org.troupe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code troupe} command: the only place that calls {@code System.exit}. */
@Command(name = "troupe", mixinStandardHelpOptions = true, version = "troupe 0.1.0",
        description = "Group communication over CORBA: server, channels, groups, members, benchmarks.",
        subcommands = {ServerCommand.class, ChannelCommand.class, GroupsCommand.class, MemberCommand.class,
            BenchCommand.class, ValidateCommand.class, TeachCommand.class, LearnCommand.class, PlayCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class})
public final class TroupeCli {
    /** How long a member command, stopped by Ctrl-C or SIGTERM, waits to leave its group. */
    static final java.time.Duration EXIT_LEAVE = java.time.Duration.ofSeconds(3);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Commands that only talk to a server: the ORB's own log lines are theirs only with --verbose. */
    private static final java.util.Set<String> CLIENTS = java.util.Set.of("channel", "groups", "member", "teach",
            "learn", "play");

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On an error, also print its stack trace, and let the ORB (JacORB) log its own warnings.")
    boolean verbose;

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        TroupeCli troupe = new TroupeCli();
        CommandLine cl = new CommandLine(troupe);
        cl.setExecutionStrategy(parsed -> {
            if (!troupe.verbose && parsed.subcommand() != null && CLIENTS.contains(parsed.subcommand().commandSpec()
                    .name())) {
                quietOrb();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String server = cmd.getCommand() instanceof ChannelCommand.ServerOption s ? s.server : null;
            cmd.getErr().println("troupe: " + Errors.describe(e, server));
            if (troupe.verbose) {
                cmd.getErr().print(Errors.stackTrace(e));
            }
            cmd.getErr().flush();
            return 1;
        });
        // the TLS options set troupe.tls.* system properties: restore them after each command
        java.util.Map<String, String> saved = new java.util.HashMap<>();
        for (String k : org.troupe.orb.TlsConfig.PROPERTIES) {
            saved.put(k, System.getProperty(k));
        }
        try {
            return cl.execute(args);
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    /**
     * Turns the ORB's own log lines off: a command says what went wrong in one sentence (JacORB
     * would add, say, "incorrect magic number" for a port where no IIOP server listens).
     */
    private static void quietOrb() {
        if (org.slf4j.LoggerFactory.getLogger("org.jacorb") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }
}
