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
            org.troupe.bench.ProtocolBenchCommand.class, BenchCommand.Failover.class,
            org.troupe.bench.LatencyBenchCommand.class})
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
                    + "delivered; order=OK: every member delivered every message once, in one order.",
                "--servers 3: Troupe as a cluster of three server JVMs; --compare single adds a single server in the "
                    + "same run and, one message at a time, the latency replication adds.",
                "--groups G (with --servers): G groups, every member JVM in each, their leaders spread over the "
                    + "servers and all on one server, in the same run."})
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
        @Option(names = "--compare", paramLabel = "PEER", description = "Also run PEER the same way: jgroups, "
                + "single (a single Troupe server, against --servers N), or plain (Troupe without TLS, against --tls).")
        String compare;
        @Option(names = "--tls", description = "Troupe over TLS (a throw-away authority and keys made for the run; "
                + "a single server); with --compare plain, or alone, also Troupe without TLS in the same run.")
        boolean tls;
        @Option(names = "--servers", description = "Troupe servers: 1 = a single server; more = a cluster, each server "
                + "its own JVM (default ${DEFAULT-VALUE}).")
        int servers = 1;
        @Option(names = "--groups", description = "Groups, every member in each; --msgs are shared among them "
                + "(default ${DEFAULT-VALUE}).")
        int groups = 1;
        @Option(names = "--leaders", paramLabel = "spread|one", split = ",", description = "With --servers and "
                + "--groups: the groups' leaders spread over the servers (as the layout prefers), or all on the first "
                + "server; both (spread,one) by default, in that order, and their ratio.")
        List<String> leaders;
        @Option(names = "--unloaded-msgs", paramLabel = "N", description = "With --compare single: messages sent one "
                + "at a time (the next once the previous is delivered) to measure the latency replication adds "
                + "(default ${DEFAULT-VALUE}; 0 = skip).")
        int unloadedMsgs = 300;
        @Option(names = "--unloaded-warmup", paramLabel = "N", description = "Messages sent as fast as they go before "
                + "the one-at-a-time ones, so that they are measured on warm code (default ${DEFAULT-VALUE}).")
        int unloadedWarmup = 5000;
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

        /** One system of a comparison: its name on the result line and how it runs. */
        private record Contender(String name, String system, org.troupe.bench.TotalOrderBench.Setup setup) {
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (compare != null && !compare.equals("jgroups") && !compare.equals("single") && !compare.equals("plain")) {
                throw new IllegalArgumentException("unknown --compare peer '" + compare + "' (known: jgroups, single, "
                        + "plain)");
            }
            if (tls && compare == null) {
                compare = "plain"; // TLS's cost, in the same run
            }
            if ("plain".equals(compare) && (!tls || servers > 1 || groups > 1)) {
                throw new IllegalArgumentException("--compare plain compares Troupe over TLS (--tls) with plain IIOP, "
                        + "on a single server with one group");
            }
            if (tls && !"plain".equals(compare)) {
                throw new IllegalArgumentException("--tls compares with plain IIOP only (--compare plain)");
            }
            if (size < 24) {
                throw new IllegalArgumentException("--size must be at least 24 (the bench's header)");
            }
            if (servers < 1 || groups < 1) {
                throw new IllegalArgumentException("--servers and --groups must be at least 1");
            }
            if ("single".equals(compare) && servers < 2) {
                throw new IllegalArgumentException("--compare single compares a cluster (--servers 3) with a single "
                        + "server; give --servers");
            }
            if (groups > 1 && compare != null) {
                throw new IllegalArgumentException("--groups compares where the leaders are (--leaders), not peers; "
                        + "leave out --compare");
            }
            List<org.troupe.bench.TotalOrderBench.Leaders> layouts = layouts();
            int k = senders == null ? members : senders;
            int w = warmup != null ? warmup : Math.max(1, msgs / k / groups / 4);
            // the same JVM flags for every system; see bench channel for why Serial GC and a pre-touched heap
            List<String> jvm = new java.util.ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch",
                    "-XX:+UseSerialGC", "-Dtroupe.log=WARN", "-Djava.net.preferIPv4Stack=true"));
            jvm.addAll(childJvmOpts);
            org.troupe.bench.TotalOrderBench bench = new org.troupe.bench.TotalOrderBench(jvm, serverJvmOpts,
                    memberSequencer);
            List<Contender> contenders = new java.util.ArrayList<>();
            String main = servers > 1 ? "troupe-cluster" : "troupe";
            if (!layouts.isEmpty()) {
                for (org.troupe.bench.TotalOrderBench.Leaders l : layouts) {
                    contenders.add(new Contender(main, "troupe",
                            new org.troupe.bench.TotalOrderBench.Setup(servers, groups, l, false)));
                }
            } else {
                org.troupe.bench.TotalOrderBench.Setup setup =
                        new org.troupe.bench.TotalOrderBench.Setup(servers, groups, null, false);
                contenders.add(new Contender(tls ? "troupe-tls" : main, "troupe", tls ? setup.overTls() : setup));
                if ("plain".equals(compare)) {
                    contenders.add(new Contender("troupe", "troupe", setup));
                } else if ("jgroups".equals(compare)) {
                    contenders.add(new Contender("jgroups", "jgroups", org.troupe.bench.TotalOrderBench.Setup.single()));
                } else if ("single".equals(compare)) {
                    contenders.add(new Contender("troupe-single", "troupe",
                            org.troupe.bench.TotalOrderBench.Setup.single()));
                }
            }
            // the systems take turns (a, b, a, b, ...): a burst of load from elsewhere on the machine then
            // hits both, not only the runs of one
            List<org.troupe.bench.TotalOrderBench.Result> best = runAll(bench, contenders, k, msgs, w);
            for (int i = 0; i < best.size(); i++) {
                if (best.get(i) == null) {
                    continue;
                }
                out.println(best.get(i).line());
                out.flush();
                report(best.get(i));
            }
            if (failure != null) {
                throw failure;
            }
            boolean ok = true; // Troupe's runs decide the exit code, not a peer's
            for (int i = 0; i < best.size(); i++) {
                ok &= !contenders.get(i).system().equals("troupe") || best.get(i).orderOk();
            }
            org.troupe.bench.TotalOrderBench.Result a = best.get(0);
            if ("single".equals(compare) && unloadedMsgs > 0) {
                List<Contender> unloaded = new java.util.ArrayList<>();
                for (Contender c : contenders) {
                    unloaded.add(new Contender(c.name(), c.system(), c.setup().unloaded()));
                }
                List<org.troupe.bench.TotalOrderBench.Result> lat = runAll(bench, unloaded, 1, unloadedMsgs,
                        unloadedWarmup);
                if (failure != null) {
                    throw failure;
                }
                for (org.troupe.bench.TotalOrderBench.Result r : lat) {
                    out.println(r.line());
                    report(r);
                    ok &= r.orderOk();
                }
                out.printf("added by replication unloaded_p50_us=%d%n", lat.get(0).p50us() - lat.get(1).p50us());
            }
            if (best.size() > 1) {
                org.troupe.bench.TotalOrderBench.Result b = best.get(1);
                String names = layouts.size() > 1 ? "leaders-" + layouts.get(0).label() + "/leaders-"
                        + layouts.get(1).label() : a.system() + "/" + b.system();
                out.printf("ratio %s msgs_s=%.2f p50_us=%.2f%n", names, a.msgsPerSecond() / b.msgsPerSecond(),
                        (double) a.p50us() / Math.max(1, b.p50us()));
            }
            out.flush();
            return ok ? 0 : 3;
        }

        /** A failure of a peer's run: the runs before it still count and are printed first. */
        private Exception failure;

        /** The layouts of a run with several groups on a cluster (none otherwise). */
        private List<org.troupe.bench.TotalOrderBench.Leaders> layouts() {
            if (servers < 2 || groups < 2) {
                if (leaders != null) {
                    throw new IllegalArgumentException("--leaders goes with --servers N and --groups G (several groups "
                            + "on a cluster)");
                }
                return List.of();
            }
            List<org.troupe.bench.TotalOrderBench.Leaders> out = new java.util.ArrayList<>();
            for (String l : leaders == null ? List.of("spread", "one") : leaders) {
                try {
                    out.add(org.troupe.bench.TotalOrderBench.Leaders.valueOf(l.trim().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown --leaders '" + l + "' (known: spread, one)");
                }
            }
            return out;
        }

        /**
         * Runs every contender {@code --repeat} times, taking turns; the median run of each (null
         * for a contender whose run failed: {@link #failure} says why, and it is not run again).
         */
        private List<org.troupe.bench.TotalOrderBench.Result> runAll(org.troupe.bench.TotalOrderBench bench,
                List<Contender> contenders, int k, int n, int w) {
            List<List<org.troupe.bench.TotalOrderBench.Result>> runs = new java.util.ArrayList<>();
            contenders.forEach(c -> runs.add(new java.util.ArrayList<>()));
            boolean[] failed = new boolean[contenders.size()];
            for (int i = 0; i < Math.max(1, repeat); i++) {
                for (int c = 0; c < contenders.size(); c++) {
                    if (failed[c]) {
                        continue;
                    }
                    Contender who = contenders.get(c);
                    try {
                        org.troupe.bench.TotalOrderBench.Result r = bench.run(who.system(), who.setup(), members, k,
                                size, n, w);
                        runs.get(c).add(logged(i, r.as(who.name(), r.bench(), r.setup())));
                    } catch (Exception e) {
                        if (c == 0) { // the first is what everything else is compared with
                            failure = e;
                            return java.util.Collections.nCopies(contenders.size(), null);
                        }
                        failure = e;
                        failed[c] = true;
                    }
                }
                if (repeat > 1 && contenders.size() > 1 && !failed[1]) {
                    spec.commandLine().getErr().printf("# run %d: ratio %s/%s msgs_s=%.2f%n", i + 1,
                            contenders.get(0).name(), contenders.get(1).name(),
                            runs.get(0).get(i).msgsPerSecond() / runs.get(1).get(i).msgsPerSecond());
                }
            }
            List<org.troupe.bench.TotalOrderBench.Result> out = new java.util.ArrayList<>();
            for (List<org.troupe.bench.TotalOrderBench.Result> r : runs) {
                out.add(r.isEmpty() ? null : median(r));
            }
            return out;
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
