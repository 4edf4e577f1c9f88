package org.troupe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new TroupeCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("troupe: " + Errors.describe(e));
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
}
