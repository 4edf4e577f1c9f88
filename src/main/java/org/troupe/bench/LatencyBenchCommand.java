package org.troupe.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe bench latency}: {@link LatencyBench}'s lines on stdout. A lost, repeated or
 * reordered message fails the run (exit code 1, what went wrong on stderr).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = {"Unloaded latency of one message delivered everywhere: N members, each in its own JVM; one "
                + "(not the sequencer holder) sends message k, waits until every member delivered it, then sends k+1.",
            "Latency: from send to the last member's delivery (System.nanoTime, one clock on this machine). Also "
                + "prints the floor, a raw JacORB twoway round trip of the same size, and its double (two hops)."})
public final class LatencyBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--members", description = "Members N, each in its own JVM (default ${DEFAULT-VALUE}).")
    int members = 4;

    @Option(names = "--size", description = "Message size in bytes, at least 16 (default ${DEFAULT-VALUE}).")
    int size = 1000;

    @Option(names = "--msgs", description = "Measured messages per kind (default ${DEFAULT-VALUE}).")
    int msgs = 10_000;

    @Option(names = "--warmup", description = "Unmeasured messages per kind first (default ${DEFAULT-VALUE}).")
    int warmup = 10000;

    @Option(names = "--servers", description = "Troupe servers: 1, or a cluster, each server its own JVM "
            + "(default ${DEFAULT-VALUE}).")
    int servers = 1;

    @Option(names = "--compare", paramLabel = "PEER", description = "Also run PEER the same way: jgroups "
            + "(SEQUENCER over TCP on 127.0.0.1, one JVM per member).")
    String compare;

    @Option(names = "--sequencer", paramLabel = "server|member",
            description = "Who holds the group's sequencer: the server, or a member that volunteers "
                    + "(default ${DEFAULT-VALUE}).")
    String sequencer = "server";

    @Option(names = "--kind", paramLabel = "sequenced|reactive|both",
            description = "sequenced: through the sequencer (total order); reactive: a turn, which skips it "
                    + "(default ${DEFAULT-VALUE}).")
    String kind = "both";

    @Option(names = "--gap-ms", paramLabel = "MS", description = "Think time: once every member has delivered "
            + "message k, the sender waits this long before it sends k+1, as an interactive user does; the figures "
            + "still run from send to the last delivery (default ${DEFAULT-VALUE}: at once).")
    int gapMillis = 0;

    @Option(names = "--heap", paramLabel = "SIZE", description = "Heap of every child JVM (default ${DEFAULT-VALUE}).")
    String heap = "128m";

    @Option(names = "--child-jvm-opt", paramLabel = "OPT", description = "Extra JVM option for every child (repeatable).")
    List<String> childJvmOpts = new ArrayList<>();

    @Option(names = "--server-jvm-opt", paramLabel = "OPT", description = "Extra JVM option for Troupe's servers only.")
    List<String> serverJvmOpts = new ArrayList<>();

    @Option(names = "--hosted", description = "Member 1 is a hosted member (HostedMembers::host_member, pull) "
            + "driven by an IDL-only client; also prints its latency against the Java members' (troupe-hosted line).")
    boolean hosted;

    @Option(names = "--delivery", paramLabel = "receive|inline", description = "How Troupe's Java members take "
            + "deliveries: Group.receive on the application's thread, or a listener called on the thread that "
            + "received the message (JoinOptions.listenerInline, as JGroups calls its receiver) (default ${DEFAULT-VALUE}).")
    String delivery = "receive";

    @Option(names = "--jfr", paramLabel = "DIR", description = "Record a JFR profile (settings=profile) of Troupe's "
            + "server and of each member, one file per process in DIR (a single server only).")
    Path jfr;

    @Option(names = "--hops", paramLabel = "DIR", description = "Stamp every hop of a message's path in the server "
            + "and each member (one file per process in DIR) and print, hop by hop, where the time goes (hop lines; "
            + "in a cluster, the server is the group's leader).")
    Path hops;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LatencyBench.Sequencer where;
        try {
            where = LatencyBench.Sequencer.valueOf(sequencer.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sequencer must be server or member, not '" + sequencer + "'");
        }
        int[] kinds = switch (kind) {
            case "sequenced" -> new int[] {LatencyDriver.SEQUENCED};
            case "reactive" -> new int[] {LatencyDriver.REACTIVE};
            case "both" -> new int[] {LatencyDriver.SEQUENCED, LatencyDriver.REACTIVE};
            default -> throw new IllegalArgumentException("--kind must be sequenced, reactive or both, not '" + kind + "'");
        };
        if (!delivery.equals("receive") && !delivery.equals("inline")) {
            throw new IllegalArgumentException("--delivery must be receive or inline, not '" + delivery + "'");
        }
        if (compare != null && !compare.equals("jgroups")) {
            throw new IllegalArgumentException("unknown --compare peer '" + compare + "' (known: jgroups)");
        }
        if (jfr != null) {
            Files.createDirectories(jfr);
        }
        if (hops != null) {
            Files.createDirectories(hops);
        }
        // Serial GC and a fixed, pre-touched heap, as in the other benches: many JVMs share the cores
        List<String> jvm = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC", "-Dtroupe.log=WARN", "-Djava.net.preferIPv4Stack=true"));
        jvm.addAll(childJvmOpts);
        LatencyBench.Settings settings = new LatencyBench.Settings(members, size, msgs, warmup, servers, where, kinds,
                "jgroups".equals(compare), hosted, delivery.equals("inline"), jvm, serverJvmOpts, jfr, hops, gapMillis);
        err.println("# bench latency: sender member-" + (members - 1) + ", sequencer " + sequencer + ", delivery "
                + delivery
                + " (nanoTime on one machine; the sender paces on a shared-memory board, which is in no figure)");
        err.flush();
        LatencyBench.Report report = new LatencyBench(settings).run();
        for (String line : report.lines()) {
            out.println(line);
        }
        out.flush();
        return 0;
    }
}
