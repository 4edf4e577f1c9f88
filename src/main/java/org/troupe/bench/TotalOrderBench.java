package org.troupe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;

/**
 * {@code troupe bench total-order}: N members, each in its own JVM with its own ORB (or JGroups
 * channel), K of them sending S-byte messages as fast as the system lets them; every member
 * records what it delivered ({@link OrderRecorder}). Figures: {@code msgs_s} is measured
 * messages per second at the slowest member (from the first measured send to its last measured
 * delivery), latency runs from send until the last member delivered, and {@code order=OK}
 * means every member delivered every message once, in the same order. Each sender first sends
 * {@code warmup} unmeasured messages (in the same run, so the JIT and the connections are warm).
 *
 * <pre>
 *  troupe:   [member JVM] x N --send--> [server JVM: manager + sequencer + channel] --push_batch--> [member JVM] x N
 *  jgroups:  [member JVM] x N, TCP mesh on 127.0.0.1, SEQUENCER (the coordinator orders)
 * </pre>
 */
public final class TotalOrderBench {
    private static final String JGROUPS_MEMBER = "org.troupe.bench.jgroups.JGroupsOrderMember";

    /**
     * What one run measured.
     *
     * @param bench {@code total-order}, or {@code total-order-unloaded} (one message at a time)
     * @param setup how the system was laid out, printed before {@code members=}: "" for a single
     *     server, e.g. {@code "servers=3 "} or {@code "servers=3 groups=6 leaders=spread "}
     */
    public record Result(String system, String bench, String setup, int members, int size, int msgs,
            double msgsPerSecond, long p50us, long p99us, boolean orderOk, String problem) {
        /** A {@code total-order} run of one group on a single server (or a peer). */
        public Result(String system, int members, int size, int msgs, double msgsPerSecond, long p50us, long p99us,
                boolean orderOk, String problem) {
            this(system, "total-order", "", members, size, msgs, msgsPerSecond, p50us, p99us, orderOk, problem);
        }

        public String line() {
            return String.format("%s bench=%s %smembers=%d size=%d msgs=%d msgs_s=%.0f p50_us=%d p99_us=%d order=%s",
                    system, bench, setup, members, size, msgs, msgsPerSecond, p50us, p99us, orderOk ? "OK" : "FAILED");
        }

        /** The same figures under another name, bench and setup. */
        public Result as(String newSystem, String newBench, String newSetup) {
            return new Result(newSystem, newBench, newSetup, members, size, msgs, msgsPerSecond, p50us, p99us, orderOk,
                    problem);
        }
    }

    /** Where leaders go when several groups run on a cluster. */
    public enum Leaders {
        /** Each group's shard led by the server the layout prefers: the leaders spread over the servers. */
        SPREAD,
        /** Every shard led by the first server. */
        ONE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * How Troupe is laid out for a run.
     *
     * @param servers 1: a single server ({@code troupe server}); more: a cluster ({@link BenchCluster})
     * @param groups groups, each with every member (each member JVM joins them all)
     * @param leaders where the groups' leaders go (a cluster with several groups; else null)
     * @param oneAtATime after its warm-up, a sender sends its next message once it delivered its
     *     previous one
     */
    public record Setup(int servers, int groups, Leaders leaders, boolean oneAtATime, boolean tls) {
        public Setup {
            if (servers < 1 || groups < 1) {
                throw new IllegalArgumentException("--servers and --groups must be at least 1");
            }
            if (tls && servers > 1) {
                throw new IllegalArgumentException("--tls runs a single server (a cluster over TLS is not benched)");
            }
        }

        /** Over plain IIOP. */
        public Setup(int servers, int groups, Leaders leaders, boolean oneAtATime) {
            this(servers, groups, leaders, oneAtATime, false);
        }

        /** This setup over TLS (a single server): server and members talk IIOP over TLS only. */
        public Setup overTls() {
            return new Setup(servers, groups, leaders, oneAtATime, true);
        }

        /** One group on a single server, as fast as it goes. */
        public static Setup single() {
            return new Setup(1, 1, null, false);
        }

        /** This setup, one message at a time. */
        public Setup unloaded() {
            return new Setup(servers, groups, leaders, true, tls);
        }

        /** What the result line says about it, before {@code members=}. */
        String describe() {
            return (servers > 1 ? "servers=" + servers + " " : "") + (groups > 1 ? "groups=" + groups + " " : "")
                    + (leaders != null && servers > 1 ? "leaders=" + leaders.label() + " " : "");
        }
    }

    private final List<String> jvmArgs;
    private final List<String> serverJvmArgs;
    private final boolean memberSequencer;

    /**
     * @param jvmArgs JVM arguments for every child
     * @param serverJvmArgs more JVM arguments for Troupe's server (after {@code jvmArgs})
     * @param memberSequencer Troupe: the first member holds the sequencer instead of the server
     */
    public TotalOrderBench(List<String> jvmArgs, List<String> serverJvmArgs, boolean memberSequencer) {
        this.jvmArgs = List.copyOf(jvmArgs);
        List<String> server = new ArrayList<>(jvmArgs);
        server.addAll(serverJvmArgs);
        this.serverJvmArgs = List.copyOf(server);
        this.memberSequencer = memberSequencer;
    }

    /** The JVM arguments of Troupe's server child ({@code server}) or of any other child. */
    List<String> jvmArgs(boolean server) {
        return server ? serverJvmArgs : jvmArgs;
    }

    /** One run of {@code system} ("troupe" or "jgroups"): one group, on a single server for Troupe. */
    public Result run(String system, int members, int senders, int size, int msgs, int warmupPerSender)
            throws Exception {
        return run(system, Setup.single(), members, senders, size, msgs, warmupPerSender);
    }

    /**
     * One run of {@code system} ("troupe" or "jgroups", which takes only {@link Setup#single}).
     * With several groups, {@code msgs} are shared among them.
     */
    public Result run(String system, Setup setup, int members, int senders, int size, int msgs, int warmupPerSender)
            throws Exception {
        if (senders < 1 || senders > members) {
            throw new IllegalArgumentException("--senders must be 1.." + members);
        }
        if (system.equals("jgroups") && !setup.equals(Setup.single())) {
            throw new IllegalArgumentException("the JGroups peer runs one group, no cluster, as fast as it goes");
        }
        if (setup.oneAtATime()) {
            senders = 1;
        }
        int groups = setup.groups();
        int measuredPerSender = Math.max(1, msgs / senders / groups);
        int perSender = warmupPerSender + measuredPerSender;
        Path dir = Files.createTempDirectory("troupe-bench-order");
        List<ChildProcess> all = new ArrayList<>();
        BenchCluster[] cluster = new BenchCluster[1];
        try {
            List<ChildProcess> group = system.equals("troupe")
                    ? startTroupe(all, cluster, dir, setup, members, senders, size, perSender, warmupPerSender)
                    : startJgroups(all, dir, members, senders, size, perSender);
            if (cluster[0] != null) {
                for (int i = 0; i < cluster[0].size(); i++) {
                    all.add(cluster[0].process(i));
                }
            }
            for (ChildProcess c : group) {
                c.await("READY", 120_000);
            }
            java.util.Map<ChildProcess, Long> cpuAtGo = new java.util.HashMap<>();
            java.util.Map<ChildProcess, long[]> ticksAtGo = new java.util.HashMap<>();
            for (ChildProcess c : all) {
                cpuAtGo.put(c, c.cpuMillis());
                ticksAtGo.put(c, JitCpu.ticks(c.pid()));
            }
            for (ChildProcess c : group) {
                c.send("GO");
            }
            long timeout = 120_000 + (long) senders * perSender * groups / 10; // generous: >= 10 msgs/s
            for (ChildProcess c : group) {
                c.await("DONE", timeout);
            }
            StringBuilder cpu = new StringBuilder("# " + system + " cpu_us_per_msg (warm-up included)");
            long total = 0;
            long totalTicks = 0;
            long jitTicks = 0;
            StringBuilder jitPerProcess = new StringBuilder("# " + system + " jit_share (warm-up included)");
            for (ChildProcess c : all) {
                long used = c.cpuMillis() - cpuAtGo.get(c);
                total += used;
                long[] before = ticksAtGo.get(c);
                long[] after = JitCpu.ticks(c.pid());
                if (before != null && after != null) {
                    totalTicks += after[0] - before[0];
                    jitTicks += after[1] - before[1];
                    double share = JitCpu.share(before, after); // negative: unknown (no CPU counted)
                    jitPerProcess.append(' ').append(c.name()).append('=')
                            .append(share >= 0 ? String.format("%.2f", share) : "?");
                }
                cpu.append(' ').append(c.name()).append('=').append(String.format("%.1f",
                        used * 1000.0 / ((long) senders * perSender * groups)));
            }
            cpu.append(String.format(" total=%.1f", total * 1000.0 / ((long) senders * perSender * groups)));
            double jit = JitCpu.share(new long[] {0, 0}, new long[] {totalTicks, jitTicks});
            if (jit >= 0) { // the JIT compilers' share of that CPU (a lower bound, see JitCpu)
                cpu.append(String.format(" jit_share=%.2f", jit));
            }
            System.err.println(cpu);
            if (jit >= 0) {
                System.err.println(jitPerProcess);
            }
            List<List<OrderRecorder.Record>> records = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                List<OrderRecorder.Record> ofGroup = new ArrayList<>();
                for (int i = 0; i < members; i++) {
                    ofGroup.add(OrderRecorder.Record.read(dir.resolve("member-" + i + "." + g)));
                }
                records.add(ofGroup);
            }
            for (ChildProcess c : group) {
                c.send("EXIT");
            }
            for (ChildProcess c : group) { // members leave while their servers still run (no cut-off consumers)
                c.finish(15_000);
            }
            Result r = groups == 1
                    ? analyse(system, members, size, senders * measuredPerSender, perSender, warmupPerSender,
                            records.get(0))
                    : analyseGroups(system, members, size, perSender, warmupPerSender, records);
            return r.as(r.system(), setup.oneAtATime() ? "total-order-unloaded" : "total-order", setup.describe());
        } finally {
            for (ChildProcess c : all) {
                if (c.isAlive()) {
                    c.signal("TERM");
                    c.finish(3000);
                }
                c.close();
            }
            if (cluster[0] != null) {
                cluster[0].close();
            }
            try (var files = Files.walk(dir)) { // deepest first: the TLS run's keys are in a subdirectory
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private List<ChildProcess> startTroupe(List<ChildProcess> all, BenchCluster[] cluster, Path dir, Setup setup,
            int members, int senders, int size, int perSender, int warmupPerSender) throws Exception {
        String url;
        List<String> names;
        GroupSpec spec = GroupSpec.parse("bench", "member:0:n", "bench");
        List<String> memberJvm = jvmArgs(false);
        org.troupe.orb.TlsConfig tls = null;
        if (setup.servers() == 1) {
            int port = ChannelBench.freePort();
            List<String> serverArgs = new ArrayList<>(List.of("server", "--port", Integer.toString(port), "--no-naming",
                    "--exit-with-parent"));
            if (setup.tls()) { // a throw-away authority, server key and trust store in the run's directory
                ThrowAwayPki pki = ThrowAwayPki.create(Files.createDirectories(dir.resolve("tls")));
                serverArgs.addAll(List.of("--tls", "--keystore", pki.serverKeystore.toString(),
                        "--keystore-password-file", pki.passwordFile.toString(), "--truststore",
                        pki.truststore.toString(), "--truststore-password-file", pki.passwordFile.toString()));
                tls = pki.client();
                memberJvm = new ArrayList<>(memberJvm);
                memberJvm.add("-D" + org.troupe.orb.TlsConfig.TRUSTSTORE_PROPERTY + "=" + pki.truststore);
                memberJvm.add("-D" + org.troupe.orb.TlsConfig.TRUSTSTORE_PASSWORD_FILE_PROPERTY + "=" + pki.passwordFile);
                // each member has a certificate: -Dtroupe.tls.bidir=false (--child-jvm-opt) then takes
                // its call-backs on its own TLS listener instead of its connection to the server
                memberJvm.add("-D" + org.troupe.orb.TlsConfig.KEYSTORE_PROPERTY + "=" + pki.clientKeystore);
                memberJvm.add("-D" + org.troupe.orb.TlsConfig.KEYSTORE_PASSWORD_FILE_PROPERTY + "=" + pki.passwordFile);
            }
            ChildProcess server = ChildProcess.start("server", jvmArgs(true), org.troupe.cli.TroupeCli.class,
                    serverArgs);
            all.add(server);
            server.await("troupe server ready", 30_000);
            url = "127.0.0.1:" + port;
            names = new ArrayList<>();
            for (int g = 0; g < setup.groups(); g++) {
                names.add(setup.groups() == 1 ? "bench" : "bench-" + g);
            }
            try (Troupe t = Troupe.connect(url, tls)) {
                for (String name : names) {
                    t.createGroup(name, spec);
                }
            }
        } else {
            BenchCluster c = BenchCluster.start(setup.servers(), jvmArgs(true));
            cluster[0] = c;
            url = c.addresses();
            names = c.spreadNames("bench", setup.groups());
            c.createGroups(names, spec);
            if (setup.leaders() == Leaders.ONE) {
                // first let Ratis finish moving each shard to its preferred server, which it does by
                // itself soon after the start: a shard still on the first server when it is told to
                // lead everything would be skipped, then moved away and never brought back
                c.awaitPreferredLeaders(names);
                c.command(0, "lead " + BenchCluster.id(0), "led", BenchCluster.START_MILLIS);
                c.awaitLeaders(names, g -> BenchCluster.id(0), BenchCluster.START_MILLIS);
            } else {
                c.awaitPreferredLeaders(names);
            }
        }
        List<ChildProcess> group = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            List<String> args = new ArrayList<>(List.of("--server", url, "--group", String.join(",", names),
                    "--index", Integer.toString(i), "--members", Integer.toString(members), "--senders",
                    Integer.toString(senders), "--size", Integer.toString(size),
                    "--per-sender", Integer.toString(perSender), "--out", dir.resolve("member-" + i).toString()));
            if (memberSequencer && i == 0) { // the only volunteer: it holds the sequencer
                args.add("--sequencer");
            }
            if (setup.oneAtATime()) { // the warm-up as fast as it goes, then one at a time
                args.addAll(List.of("--one-at-a-time", Integer.toString(warmupPerSender)));
            }
            ChildProcess c = ChildProcess.start("member-" + i, memberJvm, TroupeOrderMember.class, args);
            all.add(c);
            group.add(c);
        }
        return group;
    }

    private List<ChildProcess> startJgroups(List<ChildProcess> all, Path dir, int members, int senders, int size,
            int perSender) throws Exception {
        List<String> extra = jgroupsClassPath();
        org.troupe.bench.jgroups.JGroupsPorts ports = org.troupe.bench.jgroups.JGroupsPorts.pick(members);
        List<ChildProcess> group = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ChildProcess c = ChildProcess.start("jgroups-" + i, jvmArgs(false), JGROUPS_MEMBER, extra, List.of(
                    "--index", Integer.toString(i), "--members", Integer.toString(members),
                    "--senders", Integer.toString(senders), "--size", Integer.toString(size),
                    "--per-sender", Integer.toString(perSender), "--out", dir.resolve("member-" + i + ".0").toString(),
                    "--ports", ports.portList(), "--fd-offset", Integer.toString(ports.fdOffset()),
                    "--cluster", "troupe-bench-" + ProcessHandle.current().pid()));
            all.add(c);
            group.add(c);
        }
        return group;
    }

    /** JGroups is a bench-only dependency: on the class path in tests, else in bench-lib beside troupe.jar. */
    static List<String> jgroupsClassPath() throws Exception {
        try {
            Class.forName("org.jgroups.JChannel", false, TotalOrderBench.class.getClassLoader());
            return List.of();
        } catch (ClassNotFoundException e) {
            Path here = Path.of(TotalOrderBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path jar = (Files.isDirectory(here) ? here.getParent() : here.getParent()).resolve("bench-lib/jgroups.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("JGroups (a bench-only dependency) is not at " + jar
                        + "; run 'mvn -q -B package -DskipTests' to fetch it");
            }
            return List.of(jar.toString());
        }
    }

    static Result analyse(String system, int members, int size, int measured, int perSender, int warmupPerSender,
            List<OrderRecorder.Record> records) {
        String problem = null;
        long hash = records.get(0).orderHash();
        for (int m = 0; m < records.size(); m++) {
            OrderRecorder.Record r = records.get(m);
            if (r.orderHash() != hash) {
                problem = "member " + m + " delivered in another order than member 0";
            }
            if (r.duplicates() > 0) {
                problem = "member " + m + " delivered " + r.duplicates() + " duplicates";
            }
        }
        int n = records.get(0).count();
        long start = Long.MAX_VALUE;
        long[] latencies = new long[measured];
        int li = 0;
        for (int g = 0; g < n; g++) {
            if (g % perSender < warmupPerSender) {
                continue;
            }
            long send = records.get(0).sendMicros()[g];
            start = Math.min(start, send);
            long last = 0;
            for (OrderRecorder.Record r : records) {
                if (r.deliveryMicros()[g] == 0) {
                    problem = "a member never delivered message " + g;
                }
                last = Math.max(last, r.deliveryMicros()[g]);
            }
            if (li < latencies.length) {
                latencies[li++] = last - send;
            }
        }
        double slowest = Double.MAX_VALUE;
        for (OrderRecorder.Record r : records) {
            long end = 0;
            for (int g = 0; g < n; g++) {
                if (g % perSender >= warmupPerSender) {
                    end = Math.max(end, r.deliveryMicros()[g]);
                }
            }
            slowest = Math.min(slowest, measured / Math.max(1e-6, (end - start) / 1e6));
        }
        long[] sorted = Arrays.copyOf(latencies, li);
        Arrays.sort(sorted);
        long p50 = sorted.length == 0 ? -1 : sorted[sorted.length / 2];
        long p99 = sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))];
        return new Result(system, members, size, measured, slowest, p50, p99, problem == null, problem);
    }

    /**
     * Several groups: each group's order is checked as in {@link #analyse}; {@code msgs_s} is every
     * group's measured messages over the time from the first measured send (any group) to the last
     * measured delivery (any group, any member); the latencies are pooled over the groups.
     */
    static Result analyseGroups(String system, int members, int size, int perSender, int warmupPerSender,
            List<List<OrderRecorder.Record>> groups) {
        String problem = null;
        long start = Long.MAX_VALUE;
        long end = 0;
        List<Long> latencies = new ArrayList<>();
        int measured = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            List<OrderRecorder.Record> records = groups.get(gi);
            int n = records.get(0).count();
            int measuredHere = 0;
            for (int g = 0; g < n; g++) {
                if (g % perSender >= warmupPerSender) {
                    measuredHere++;
                }
            }
            Result one = analyse(system, members, size, measuredHere, perSender, warmupPerSender, records);
            if (one.problem() != null) {
                problem = "group " + gi + ": " + one.problem();
            }
            measured += measuredHere;
            for (int g = 0; g < n; g++) {
                if (g % perSender < warmupPerSender) {
                    continue;
                }
                long send = records.get(0).sendMicros()[g];
                start = Math.min(start, send);
                long last = 0;
                for (OrderRecorder.Record r : records) {
                    last = Math.max(last, r.deliveryMicros()[g]);
                }
                end = Math.max(end, last);
                latencies.add(last - send);
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long p50 = sorted.length == 0 ? -1 : sorted[sorted.length / 2];
        long p99 = sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))];
        double rate = measured / Math.max(1e-6, (end - start) / 1e6);
        return new Result(system, members, size, measured, rate, p50, p99, problem == null, problem);
    }
}
