package org.troupe.server.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.troupe.server.JavaProcess;

/**
 * Measures a 3-server cluster on this machine, each server its own JVM with its log on disk
 * ({@link ToyClusterServer}), and prints one {@code troupe bench=cluster-...} line per figure.
 *
 * <pre>
 * mvn -B -q -o test-compile
 * mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cluster-cp.txt
 * java -Xmx256m -cp "target/test-classes:target/classes:$(cat /tmp/cluster-cp.txt)" \
 *     org.troupe.server.cluster.ClusterBench MODE [key=value...]
 *   MODE latency     one 1 KB command at a time, from the leader's server and from a follower's
 *   MODE throughput  1 KB commands with many outstanding (batched), from the leader's server and a follower's
 *   MODE failover    SIGKILL the leader under a writer (8 outstanding) kills=N times, restarting it between kills
 *   MODE idle        per-JVM threads and CPU of an idle cluster for shards=N
 *   keys: servers=3|1 (latency only) transport=NETTY|GRPC tls=true|false (Raft over mutual TLS; needs GRPC) sync-log=true|false log-commits=true|false in-flight=N batch=N shards=N n=N size=BYTES window=N kills=N election-min-ms= election-max-ms=
 * </pre>
 */
public final class ClusterBench {
    private static final String STATE = "bench";
    private final Map<String, String> opts;
    private final Path dir;
    private final JavaProcess[] procs = new JavaProcess[3];
    private String peers;

    private ClusterBench(Map<String, String> opts) throws IOException {
        this.opts = opts;
        this.dir = Files.createTempDirectory("troupe-cluster-bench");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ClusterBench latency|throughput|failover|idle [key=value ...]");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            opts.put(kv[0], kv[1]);
        }
        ClusterBench b = new ClusterBench(opts);
        try {
            switch (args[0]) {
                case "latency" -> b.latency();
                case "throughput" -> b.throughput();
                case "failover" -> b.failover();
                case "idle" -> b.idle();
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } finally {
            b.close();
        }
        System.exit(0);
    }

    private String opt(String key, String def) {
        return opts.getOrDefault(key, def);
    }

    private String transport() {
        return opt("transport", "NETTY");
    }

    private int servers() {
        return Integer.parseInt(opt("servers", "3"));
    }

    private void startCluster() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= servers(); i++) {
            sb.append(i > 1 ? "," : "").append("s").append(i).append("=127.0.0.1:").append(JavaProcess.freePort());
        }
        peers = sb.toString();
        for (int i = 0; i < servers(); i++) {
            start(i);
        }
    }

    private void start(int i) throws Exception {
        String logback = ToyClusterServer.class.getResource("logback-cluster-child.xml").toString();
        List<String> args = new ArrayList<>(List.of("s" + (i + 1), peers, dir.resolve("s" + (i + 1)).toString(),
                "shards=" + opt("shards", "3"), "transport=" + transport(),
                "election-min-ms=" + opt("election-min-ms", "300"), "election-max-ms=" + opt("election-max-ms", "600"),
                "sync-log=" + opt("sync-log", "true"), "log-commits=" + opt("log-commits", "true"), "in-flight=" + opt("in-flight", "4"),
                "batch=" + opt("batch", "512")));
        if (Boolean.parseBoolean(opt("tls", "false"))) { // Raft over gRPC with mutual TLS
            Path pki = dir.resolve("pki");
            if (!Files.exists(pki.resolve("password"))) {
                org.troupe.bench.ThrowAwayPki.create(Files.createDirectories(pki));
            }
            args.add("tls-dir=" + pki);
        }
        procs[i] = JavaProcess.start("s" + (i + 1), List.of("-Xmx512m", "-Dlogback.configurationFile=" + logback),
                ToyClusterServer.class, args);
        procs[i].awaitPrefix("ready", 180_000); // a loaded machine: JVM start alone took 30 s at load 45
    }

    private Map<String, String> status(int i) throws Exception {
        procs[i].send("status " + STATE);
        String line = procs[i].awaitNext("status ", 30_000);
        return fields(line.substring("status ".length()));
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> out = new HashMap<>();
        for (String kv : text.trim().split(" ")) {
            String[] p = kv.split("=", 2);
            if (p.length == 2) {
                out.put(p[0], p[1]);
            }
        }
        return out;
    }

    /** Waits for the preferred leader of the bench state's shard to lead it; returns its index. */
    private int awaitLeader(int asker, java.util.function.IntPredicate accept) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String leader = status(asker).get("leader");
            if (leader != null && !"null".equals(leader)) {
                int idx = Integer.parseInt(leader.substring(1)) - 1;
                if (accept.test(idx) && "true".equals(status(idx).get("local"))) {
                    return idx;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("no leader");
            }
            Thread.sleep(50);
        }
    }

    private void latency() throws Exception {
        startCluster();
        int leader = awaitLeader(0, x -> true);
        String n = opt("n", "5000");
        String size = opt("size", "1024");
        List<int[]> from = new ArrayList<>();
        from.add(new int[] {leader, 1});
        if (servers() > 1) {
            from.add(new int[] {(leader + 1) % servers(), 0});
        }
        for (int[] f : from) {
            procs[f[0]].send("bench-latency " + STATE + " " + n + " " + size);
            String line = procs[f[0]].awaitNext("latency ", 600_000);
            System.out.println("troupe bench=cluster-latency servers=" + servers() + " transport="
                    + transport().toLowerCase() + " tls=" + opt("tls", "false") + " sync_log=" + opt("sync-log", "true") + " log_commits=" + opt("log-commits", "true") + " from="
                    + (f[1] == 1 ? "leader" : "follower") + " size=" + size + " " + line.substring(8));
        }
    }

    private void throughput() throws Exception {
        startCluster();
        int leader = awaitLeader(0, x -> true);
        int follower = (leader + 1) % 3;
        String n = opt("n", "50000");
        String size = opt("size", "1024");
        String window = opt("window", "1000");
        // Warm-up, then the measured run, from each side.
        for (int[] from : new int[][] {{leader, 1}, {follower, 0}}) {
            procs[from[0]].send("bench-throughput " + STATE + " 5000 " + size + " " + window);
            procs[from[0]].awaitNext("throughput ", 600_000);
            procs[from[0]].send("bench-throughput " + STATE + " " + n + " " + size + " " + window);
            String line = procs[from[0]].awaitNext("throughput ", 600_000);
            System.out.println("troupe bench=cluster-throughput transport=" + transport().toLowerCase() + " sync_log=" + opt("sync-log", "true") + " log_commits=" + opt("log-commits", "true") + " from="
                    + (from[1] == 1 ? "leader" : "follower") + " size=" + size + " window=" + window + " in_flight="
                    + opt("in-flight", "4") + " " + line.substring(11));
        }
    }

    private void failover() throws Exception {
        startCluster();
        int kills = Integer.parseInt(opt("kills", "10"));
        int leader = awaitLeader(0, x -> true);
        int writer = (leader + 1) % 3;
        procs[writer].send("write " + STATE + " w 8");
        List<Long> pauses = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            leader = awaitLeader(writer, x -> true);
            if (leader == writer) {
                // The writer must survive: move the leadership to another server first.
                int to = (writer + 1) % 3;
                procs[writer].send("transfer " + STATE + " s" + (to + 1));
                procs[writer].awaitNext("transfer", 60_000);
                leader = awaitLeader(writer, x -> x != writer);
            }
            awaitAcks(procs[writer], countAcks(procs[writer]) + 300);
            int victim = leader;
            procs[victim].signal("KILL");
            long killedAt = System.currentTimeMillis();
            procs[victim].awaitExit(30_000);
            long seen = countAcks(procs[writer]);
            long firstAfter = awaitAckAfter(procs[writer], killedAt, seen);
            pauses.add(firstAfter - killedAt);
            System.out.println("kill " + (k + 1) + ": s" + (victim + 1) + " killed, first commit after "
                    + (firstAfter - killedAt) + " ms");
            procs[victim].close();
            start(victim);
            // Let it catch up before the next kill.
            long target = Long.parseLong(status(writer).get("commit"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Long.parseLong(status(victim).get("applied")) < target) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new TimeoutException("s" + (victim + 1) + " did not catch up");
                }
                Thread.sleep(50);
            }
        }
        procs[writer].send("stop-writer");
        String stopped = procs[writer].awaitNext("writer-stopped", 60_000);
        long[] sorted = pauses.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.println("troupe bench=cluster-failover transport=" + transport().toLowerCase() + " election_ms="
                + opt("election-min-ms", "300") + "-" + opt("election-max-ms", "600") + " kills=" + kills
                + " pause_p50_ms=" + sorted[sorted.length / 2] + " pause_max_ms=" + sorted[sorted.length - 1]
                + " pauses=" + Arrays.toString(sorted) + " writer " + stopped.substring("writer-stopped ".length()));
    }

    private static long countAcks(JavaProcess p) {
        return p.lines().stream().filter(l -> l.startsWith("ack ")).count();
    }

    private static void awaitAcks(JavaProcess p, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countAcks(p) < n) {
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("writer stalled\n" + p.stderr());
            }
            Thread.sleep(10);
        }
    }

    /**
     * The time stamp of the first ack printed more than 20 ms after {@code killedAt}: replies the
     * old leader sent just before it died can still arrive within a few ms, and no new leader can
     * be elected that fast (the election time-out is hundreds of ms).
     */
    private static long awaitAckAfter(JavaProcess p, long killedAt, long from) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> acks = p.lines().stream().filter(l -> l.startsWith("ack ")).toList();
            for (int i = (int) Math.max(0, from - 50); i < acks.size(); i++) {
                long t = Long.parseLong(acks.get(i).split(" ")[3]);
                if (t > killedAt + 20) {
                    return t;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("no commit after the kill\n" + p.stderr());
            }
            Thread.sleep(5);
        }
    }

    private void idle() throws Exception {
        startCluster();
        awaitLeader(0, x -> true);
        Thread.sleep(5_000); // settle: elections, priority hand-overs
        long[] cpu0 = new long[3];
        for (int i = 0; i < 3; i++) {
            cpu0[i] = cpuTicks(procs[i].pid());
        }
        long t0 = System.nanoTime();
        Thread.sleep(Long.parseLong(opt("seconds", "20")) * 1000);
        double secs = (System.nanoTime() - t0) / 1e9;
        StringBuilder sb = new StringBuilder();
        double total = 0;
        for (int i = 0; i < 3; i++) {
            double pct = (cpuTicks(procs[i].pid()) - cpu0[i]) / 100.0 / secs * 100;
            total += pct;
            sb.append(String.format(" s%d_threads=%d s%d_cpu_pct=%.1f", i + 1, threads(procs[i].pid()), i + 1, pct));
        }
        System.out.printf("troupe bench=cluster-idle transport=%s shards=%s%s total_cpu_pct=%.1f%n",
                transport().toLowerCase(), opt("shards", "3"), sb, total);
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (clock ticks, 100/s)
    }

    private static int threads(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("Threads:")) {
                return Integer.parseInt(l.substring(8).trim());
            }
        }
        return -1;
    }

    private void close() {
        for (JavaProcess p : procs) {
            if (p != null) {
                p.close();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // temp dir, best effort
        }
    }
}
