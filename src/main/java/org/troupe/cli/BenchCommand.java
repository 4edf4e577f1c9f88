package org.troupe.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.troupe.bench.ChannelBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe bench ...}: benchmarks that print one machine-readable line per system. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Channel.class, BenchCommand.TotalOrder.class,
            org.troupe.bench.ProtocolBenchCommand.class, BenchCommand.Failover.class})
final class BenchCommand {

    @Command(name = "channel", mixinStandardHelpOptions = true,
            description = "1 supplier -> K push consumers through one event channel, each in its own JVM.")
    static final class Channel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--consumers", description = "Push consumers K (default ${DEFAULT-VALUE}).")
        int consumers = 2;

        @Option(names = "--size", description = "Event size in bytes (default ${DEFAULT-VALUE}).")
        int size = 1000;

        @Option(names = "--events", description = "Events through Troupe's channel (default ${DEFAULT-VALUE}).")
        int events = 100_000;

        @Option(names = "--compare", paramLabel = "PEER",
                description = "Also run this peer the same way: jacorb (org.jacorb.events.EventChannelImpl).")
        String compare;

        @Option(names = "--peer-events", description = "Events through the peer's channel (default ${DEFAULT-VALUE}).")
        int peerEvents = 20_000;

        @Option(names = "--repeat", description = "Run each scenario N times and report the median run "
                + "(by events/s); the ratio of two single runs is noisy on 2 cores (default ${DEFAULT-VALUE}).")
        int repeat = 1;

        @Option(names = "--warmup", paramLabel = "MS",
                description = "Each run first sends unmeasured events for this long, so that both systems are "
                        + "measured JIT-compiled (default ${DEFAULT-VALUE}).")
        long warmupMillis = 3000;

        @Option(names = "--stopped", description = "Also run Troupe with this many extra consumers SIGSTOPped "
                + "(default ${DEFAULT-VALUE}; 0 = skip).")
        int stopped = 1;

        @Option(names = "--idle", paramLabel = "MS",
                description = "A consumer that receives nothing for this long reports what it has (default ${DEFAULT-VALUE}).")
        long idle = 10_000;

        @Option(names = "--child-jvm-opt", paramLabel = "OPT",
                description = "Extra JVM option for every child process (repeatable), e.g. -XX:+UseParallelGC.")
        List<String> childJvmOpts = new java.util.ArrayList<>();

        @Mixin
        ChannelOptions channelOptions = new ChannelOptions();

        /** One run of a scenario. */
        private interface Run {
            ChannelBench.Result once() throws Exception;
        }

        private ChannelBench.Result median(Run run) throws Exception {
            java.util.List<ChannelBench.Result> results = new java.util.ArrayList<>();
            for (int i = 0; i < Math.max(1, repeat); i++) {
                results.add(run.once());
            }
            results.sort(java.util.Comparator.comparingDouble(ChannelBench.Result::eventsPerSecond));
            return results.get(results.size() / 2);
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            channelOptions.settings(); // validate before starting processes
            List<String> hostArgs = channelOptions.asArgs();
            // Both systems get the same JVMs. A fixed, pre-touched heap: otherwise a JVM keeps growing
            // its heap under this allocation rate and spends most of its time in the kernel zeroing
            // fresh pages (measured: 62% of the supplier's CPU). Serial GC: with 4+ JVMs on 2 cores,
            // G1's parallel and concurrent GC threads fight over the cores (measured: 27-55k events/s
            // with G1, 80-100k with Serial GC).
            List<String> jvm = new java.util.ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
                    "-XX:+UseSerialGC", "-Dtroupe.log=WARN"));
            jvm.addAll(childJvmOpts);
            ChannelBench bench = new ChannelBench(hostArgs, jvm, idle);
            ChannelBench.Result troupe = median(() -> bench.run("troupe", consumers, 0, size, events, warmupMillis));
            out.println(troupe.line());
            spec.commandLine().getErr().println("# troupe " + troupe.cpu());
            out.flush();
            ChannelBench.Result peer = null;
            if ("jacorb".equals(compare)) {
                peer = median(() -> bench.run("jacorb", consumers, 0, size, peerEvents, warmupMillis));
                peer = new ChannelBench.Result("jacorb-cosevent", peer.bench(), peer.consumers(), 0, peer.size(),
                        peer.events(), peer.eventsPerSecond(), peer.p50us(), peer.p99us(), peer.lost(), peer.reordered(),
                        peer.cpu());
                out.println(peer.line());
                out.flush();
                spec.commandLine().getErr().println("# jacorb-cosevent " + peer.cpu());
            } else if (compare != null) {
                throw new IllegalArgumentException("unknown --compare peer '" + compare + "' (known: jacorb)");
            }
            ChannelBench.Result withStopped = null;
            if (stopped > 0) {
                withStopped = median(() -> bench.run("troupe", consumers, stopped, size, events, warmupMillis));
                out.println(withStopped.line());
            }
            if (peer != null) {
                out.printf("ratio troupe/jacorb-cosevent events_s=%.1f%n", troupe.eventsPerSecond() / peer.eventsPerSecond());
            }
            if (withStopped != null) {
                out.printf("ratio troupe-stopped/troupe events_s=%.2f%n",
                        withStopped.eventsPerSecond() / troupe.eventsPerSecond());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "total-order", mixinStandardHelpOptions = true,
            description = {"N group members, each in its own JVM, sending S-byte messages in total order.",
                "msgs_s: measured messages/s at the slowest member; latency: from send until the last member "
                    + "delivered; order=OK: every member delivered every message once, in one order."})
    static final class TotalOrder implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--members", description = "Members N (default ${DEFAULT-VALUE}).")
        int members = 4;
        @Option(names = "--senders", description = "How many of the members send (default: all).")
        Integer senders;
        @Option(names = "--size", description = "Message size in bytes, at least 24 (default ${DEFAULT-VALUE}).")
        int size = 1000;
        @Option(names = "--msgs", description = "Measured messages in all (default ${DEFAULT-VALUE}).")
        int msgs = 100_000;
        @Option(names = "--warmup-msgs", paramLabel = "N",
                description = "Unmeasured messages each sender sends first (default: a quarter of its measured share).")
        Integer warmup;
        @Option(names = "--compare", paramLabel = "PEER", description = "Also run PEER the same way: jgroups.")
        String compare;
        @Option(names = "--member-sequencer", description = "Troupe: the first member holds the sequencer, not the server.")
        boolean memberSequencer;
        @Option(names = "--repeat", description = "Run each system N times, taking turns with --compare; report the median run, each run on stderr (default ${DEFAULT-VALUE}).")
        int repeat = 1;
        @Option(names = "--heap", paramLabel = "SIZE", description = "Heap of every child JVM (default ${DEFAULT-VALUE}).")
        String heap = "384m";
        @Option(names = "--child-jvm-opt", paramLabel = "OPT", description = "Extra JVM option for every child.")
        List<String> childJvmOpts = new java.util.ArrayList<>();
        @Option(names = "--server-jvm-opt", paramLabel = "OPT",
                description = "Extra JVM option for Troupe's server only (a deployment choice, e.g. -XX:TieredStopAtLevel=1).")
        List<String> serverJvmOpts = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (compare != null && !compare.equals("jgroups")) {
                throw new IllegalArgumentException("unknown --compare peer '" + compare + "' (known: jgroups)");
            }
            if (size < 24) {
                throw new IllegalArgumentException("--size must be at least 24 (the bench's header)");
            }
            int k = senders == null ? members : senders;
            int w = warmup != null ? warmup : Math.max(1, msgs / k / 4);
            // the same JVM flags for both systems; see bench channel for why Serial GC and a pre-touched heap
            List<String> jvm = new java.util.ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch",
                    "-XX:+UseSerialGC", "-Dtroupe.log=WARN", "-Djava.net.preferIPv4Stack=true"));
            jvm.addAll(childJvmOpts);
            org.troupe.bench.TotalOrderBench bench = new org.troupe.bench.TotalOrderBench(jvm, serverJvmOpts,
                    memberSequencer);
            // with --compare, the systems take turns (troupe, jgroups, troupe, ...): a burst of load
            // from elsewhere on the machine then hits both, not only the runs of one
            java.util.List<org.troupe.bench.TotalOrderBench.Result> troupeRuns = new java.util.ArrayList<>();
            java.util.List<org.troupe.bench.TotalOrderBench.Result> peerRuns = new java.util.ArrayList<>();
            Exception peerFailure = null;
            for (int i = 0; i < Math.max(1, repeat); i++) {
                troupeRuns.add(logged(i, bench.run("troupe", members, k, size, msgs, w)));
                if (compare != null && peerFailure == null) {
                    try {
                        peerRuns.add(logged(i, bench.run("jgroups", members, k, size, msgs, w)));
                    } catch (Exception e) { // Troupe's runs still count; the failure is reported below
                        peerFailure = e;
                        continue;
                    }
                    if (repeat > 1) {
                        spec.commandLine().getErr().printf("# run %d: ratio troupe/jgroups msgs_s=%.2f%n", i + 1,
                                troupeRuns.get(i).msgsPerSecond() / peerRuns.get(i).msgsPerSecond());
                    }
                }
            }
            org.troupe.bench.TotalOrderBench.Result troupe = median(troupeRuns);
            out.println(troupe.line());
            out.flush();
            report(troupe);
            if (peerFailure != null) {
                throw peerFailure;
            }
            if (compare != null) {
                org.troupe.bench.TotalOrderBench.Result peer = median(peerRuns);
                out.println(peer.line());
                report(peer);
                out.printf("ratio troupe/jgroups msgs_s=%.2f p50_us=%.2f%n", troupe.msgsPerSecond() / peer.msgsPerSecond(),
                        (double) troupe.p50us() / Math.max(1, peer.p50us()));
            }
            out.flush();
            return troupe.orderOk() ? 0 : 3;
        }

        private void report(org.troupe.bench.TotalOrderBench.Result r) {
            if (r.problem() != null) {
                spec.commandLine().getErr().println("# " + r.system() + ": " + r.problem());
            }
        }

        /** With --repeat, every run's line goes to stderr, so the spread is visible. */
        private org.troupe.bench.TotalOrderBench.Result logged(int i, org.troupe.bench.TotalOrderBench.Result r) {
            if (repeat > 1) {
                spec.commandLine().getErr().println("# run " + (i + 1) + "/" + repeat + ": " + r.line());
            }
            return r;
        }

        /** The median run by msgs_s. */
        private static org.troupe.bench.TotalOrderBench.Result median(
                java.util.List<org.troupe.bench.TotalOrderBench.Result> runs) {
            java.util.List<org.troupe.bench.TotalOrderBench.Result> results = new java.util.ArrayList<>(runs);
            results.sort(java.util.Comparator.comparingDouble(org.troupe.bench.TotalOrderBench.Result::msgsPerSecond));
            return results.get(results.size() / 2);
        }
    }

    @Command(name = "failover", mixinStandardHelpOptions = true,
            description = {"A cluster of servers and M members sending steadily to one group, each in its own JVM; "
                    + "the group's leader is killed with SIGKILL K times, restarted (same port and data) and caught up "
                    + "before the next kill.",
                "pause: the longest gap between two deliveries a member saw around a kill (p50, p99, max over every "
                    + "kill and member); lost, duplicated, reordered: over the whole run, every member's sequence "
                    + "against what was sent and against the first member's order (all must be 0)."})
    static final class Failover implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--servers", description = "Servers in the cluster, at least 3 (default ${DEFAULT-VALUE}).")
        int servers = 3;
        @Option(names = "--members", description = "Members M, each its own JVM (default ${DEFAULT-VALUE}).")
        int members = 4;
        @Option(names = "--kills", description = "Leader kills K (default ${DEFAULT-VALUE}).")
        int kills = 10;
        @Option(names = "--rate", paramLabel = "MSGS_S", description = "Messages a second each member sends "
                + "(default ${DEFAULT-VALUE}).")
        double rate = 50;
        @Option(names = "--size", description = "Message size in bytes, at least 16 (default ${DEFAULT-VALUE}).")
        int size = 100;
        @Option(names = "--settle", paramLabel = "MS", description = "Steady traffic before the first kill and after "
                + "each restarted server caught up (default ${DEFAULT-VALUE}).")
        long settleMillis = 2000;
        @Option(names = "--child-jvm-opt", paramLabel = "OPT", description = "Extra JVM option for every child.")
        List<String> childJvmOpts = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (size < 16) {
                throw new IllegalArgumentException("--size must be at least 16 (the bench's header)");
            }
            List<String> common = List.of("-XX:+UseSerialGC", "-Dtroupe.log=WARN", "-Djava.net.preferIPv4Stack=true");
            List<String> server = new java.util.ArrayList<>(List.of("-Xms256m", "-Xmx256m"));
            server.addAll(common);
            server.addAll(childJvmOpts);
            // members only send and record: the first JIT tier is enough, and leaves the cores to the servers
            List<String> member = new java.util.ArrayList<>(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"));
            member.addAll(common);
            member.addAll(childJvmOpts);
            org.troupe.bench.FailoverBench.Result r = new org.troupe.bench.FailoverBench(server, member,
                    spec.commandLine().getErr()).run(servers, members, kills, rate, size, settleMillis);
            out.println(r.line());
            out.flush();
            if (r.problem() != null) {
                spec.commandLine().getErr().println("# " + r.problem());
            }
            return r.ok() ? 0 : 3;
        }
    }
}
