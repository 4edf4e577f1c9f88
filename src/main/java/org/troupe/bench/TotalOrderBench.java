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

    /** What one run measured. */
    public record Result(String system, int members, int size, int msgs, double msgsPerSecond, long p50us,
            long p99us, boolean orderOk, String problem) {
        public String line() {
            return String.format("%s bench=total-order members=%d size=%d msgs=%d msgs_s=%.0f p50_us=%d p99_us=%d order=%s",
                    system, members, size, msgs, msgsPerSecond, p50us, p99us, orderOk ? "OK" : "FAILED");
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

    /** One run of {@code system} ("troupe" or "jgroups"). */
    public Result run(String system, int members, int senders, int size, int msgs, int warmupPerSender)
            throws Exception {
        if (senders < 1 || senders > members) {
            throw new IllegalArgumentException("--senders must be 1.." + members);
        }
        int measuredPerSender = Math.max(1, msgs / senders);
        int perSender = warmupPerSender + measuredPerSender;
        Path dir = Files.createTempDirectory("troupe-bench-order");
        List<ChildProcess> all = new ArrayList<>();
        try {
            List<ChildProcess> group = system.equals("troupe")
                    ? startTroupe(all, dir, members, senders, size, perSender)
                    : startJgroups(all, dir, members, senders, size, perSender);
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
            long timeout = 120_000 + (long) senders * perSender / 10; // generous: >= 10 msgs/s
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
                        used * 1000.0 / ((long) senders * perSender)));
            }
            cpu.append(String.format(" total=%.1f", total * 1000.0 / ((long) senders * perSender)));
            double jit = JitCpu.share(new long[] {0, 0}, new long[] {totalTicks, jitTicks});
            if (jit >= 0) { // the JIT compilers' share of that CPU (a lower bound, see JitCpu)
                cpu.append(String.format(" jit_share=%.2f", jit));
            }
            System.err.println(cpu);
            if (jit >= 0) {
                System.err.println(jitPerProcess);
            }
            List<OrderRecorder.Record> records = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                records.add(OrderRecorder.Record.read(dir.resolve("member-" + i)));
            }
            for (ChildProcess c : group) {
                c.send("EXIT");
            }
            return analyse(system, members, size, senders * measuredPerSender, perSender, warmupPerSender, records);
        } finally {
            for (ChildProcess c : all) {
                if (c.isAlive()) {
                    c.signal("TERM");
                    c.finish(3000);
                }
                c.close();
            }
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private List<ChildProcess> startTroupe(List<ChildProcess> all, Path dir, int members, int senders, int size,
            int perSender) throws Exception {
        int port = ChannelBench.freePort();
        ChildProcess server = ChildProcess.start("server", jvmArgs(true), org.troupe.cli.TroupeCli.class,
                List.of("server", "--port", Integer.toString(port), "--no-naming", "--exit-with-parent"));
        all.add(server);
        server.await("troupe server ready", 30_000);
        String url = "127.0.0.1:" + port;
        try (Troupe t = Troupe.connect(url)) {
            t.createGroup("bench", GroupSpec.parse("bench", "member:0:n", "bench"));
        }
        List<ChildProcess> group = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            List<String> args = new ArrayList<>(List.of("--server", url, "--group", "bench", "--index",
                    Integer.toString(i), "--members", Integer.toString(members), "--senders", Integer.toString(senders),
                    "--size", Integer.toString(size), "--per-sender", Integer.toString(perSender), "--out",
                    dir.resolve("member-" + i).toString()));
            if (memberSequencer && i == 0) { // the only volunteer: it holds the sequencer
                args.add("--sequencer");
            }
            ChildProcess c = ChildProcess.start("member-" + i, jvmArgs(false), TroupeOrderMember.class, args);
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
                    "--per-sender", Integer.toString(perSender), "--out", dir.resolve("member-" + i).toString(),
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
}
