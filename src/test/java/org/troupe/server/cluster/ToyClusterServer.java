package org.troupe.server.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test main: one cluster server with {@link AppendOnlyList} states, driven by stdin lines and
 * answering on stdout (logs go to stderr).
 *
 * <pre>
 * args: ID PEERS DATA_DIR [key=value ...]   keys: tls-dir (a ThrowAwayPki's directory: Raft over mutual TLS), shards, transport, election-min-ms, election-max-ms, snapshot-every, sync-log, log-commits, in-flight, batch
 * stdin:
 *   status STATE                 -> status group=G leader=L term=T commit=C applied=A local=B
 *   write STATE PREFIX WINDOW    -> starts a writer: PREFIX-1, PREFIX-2, ... with WINDOW outstanding;
 *                                   prints "ack PREFIX-K INDEX" per commit, "nack PREFIX-K REASON" per failure
 *   stop-writer                  -> writer-stopped acked=N failed=M
 *   dump STATE                   -> dumped N FILE   (FILE: one command per line, in applied order)
 *   bench-latency STATE N SIZE   -> latency n=N p50_us=.. p99_us=.. mean_us=..   (one command at a time)
 *   bench-throughput STATE N SIZE WINDOW -> throughput n=N msgs_s=.. entries=.. retries=..
 *   transfer STATE PEER          -> transferred | transfer-failed REASON   (leadership of STATE's group)
 *   quit                         -> closed (and exits)
 * </pre>
 */
public final class ToyClusterServer {
    private final ClusterNode node;
    private final AppendOnlyList.Factory states = new AppendOnlyList.Factory();
    private final Path data;
    private Thread writer;
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private ToyClusterServer(ClusterConfig config) throws IOException {
        this.data = config.dataDir();
        this.node = ClusterNode.start(config, states);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            opts.put(kv[0], kv[1]);
        }
        ClusterConfig config = ClusterConfig.builder()
                .serverId(args[0])
                .peers(args[1])
                .dataDir(Path.of(args[2]))
                .shards(Integer.parseInt(opts.getOrDefault("shards", "3")))
                .transport(ClusterConfig.Transport.valueOf(opts.getOrDefault("transport", "NETTY")))
                .electionTimeout(Duration.ofMillis(Long.parseLong(opts.getOrDefault("election-min-ms", "300"))),
                        Duration.ofMillis(Long.parseLong(opts.getOrDefault("election-max-ms", "600"))))
                .snapshotEveryEntries(Long.parseLong(opts.getOrDefault("snapshot-every", "20000")))
                .syncLog(Boolean.parseBoolean(opts.getOrDefault("sync-log", "true")))
                .logCommits(Boolean.parseBoolean(opts.getOrDefault("log-commits", "true")))
                .maxEntriesInFlight(Integer.parseInt(opts.getOrDefault("in-flight", "4")))
                .maxBatchCommands(Integer.parseInt(opts.getOrDefault("batch", "512")))
                .tls(opts.containsKey("tls-dir") ? tls(Path.of(opts.get("tls-dir"))) : null)
                .build();
        ToyClusterServer server = new ToyClusterServer(config);
        System.out.println("ready " + args[0]);
        server.serve();
    }

    private void serve() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "status" -> {
                    RaftGroupStatus s = node.statusOf(w[1]);
                    System.out.println("status group=" + s.group() + " leader=" + s.leader() + " term=" + s.term()
                            + " commit=" + s.commitIndex() + " applied=" + s.appliedIndex() + " local="
                            + s.localLeader());
                }
                case "write" -> startWriter(w[1], w[2], Integer.parseInt(w[3]));
                case "stop-writer" -> {
                    stopWriter();
                    System.out.println("writer-stopped acked=" + acked.get() + " failed=" + failed.get());
                }
                case "dump" -> {
                    AppendOnlyList l = states.get(w[1]);
                    List<String> commands = l == null ? List.of() : l.commands();
                    Path file = data.resolve("dump-" + w[1] + ".txt");
                    Files.write(file, commands, StandardCharsets.UTF_8);
                    System.out.println("dumped " + commands.size() + " " + file);
                }
                case "bench-latency" -> benchLatency(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]));
                case "bench-throughput" -> benchThroughput(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]),
                        Integer.parseInt(w[4]));
                case "transfer" -> {
                    try {
                        node.transferLeadership(node.groupOf(w[1]), w[2], Duration.ofSeconds(20));
                        System.out.println("transferred");
                    } catch (IOException | RuntimeException e) {
                        System.out.println("transfer-failed " + e);
                    }
                }
                case "quit" -> {
                    stopWriter();
                    node.close();
                    System.out.println("closed");
                    return;
                }
                default -> System.out.println("error unknown command " + w[0]);
            }
        }
        stopWriter();
        node.close();
    }

    private void benchLatency(String state, int n, int size) throws Exception {
        byte[] payload = new byte[size];
        int warmup = Math.min(1000, n / 5);
        long[] micros = new long[n];
        for (int i = -warmup; i < n; i++) {
            payload[0] = (byte) i;
            long t0 = System.nanoTime();
            node.submit(state, payload).get(30, TimeUnit.SECONDS);
            if (i >= 0) {
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
        }
        java.util.Arrays.sort(micros);
        long sum = 0;
        for (long m : micros) {
            sum += m;
        }
        System.out.println("latency n=" + n + " p50_us=" + micros[n / 2] + " p99_us=" + micros[(int) (n * 0.99)]
                + " mean_us=" + sum / n);
    }

    private void benchThroughput(String state, int n, int size, int window) throws Exception {
        byte[] payload = new byte[size];
        Semaphore slots = new Semaphore(window);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
        AtomicLong errors = new AtomicLong();
        long[] before = node.submitCounters();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no slot within 30 s");
            }
            node.submit(state, payload).whenComplete((r, t) -> {
                if (t != null) {
                    errors.incrementAndGet();
                }
                slots.release();
                done.countDown();
            });
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not all answered within 60 s");
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long[] after = node.submitCounters();
        System.out.printf("throughput n=%d msgs_s=%.0f entries=%d retries=%d errors=%d secs=%.2f%n", n, n / secs,
                after[0] - before[0], after[2] - before[2], errors.get(), secs);
    }

    private void startWriter(String state, String prefix, int window) {
        writing.set(true);
        Semaphore slots = new Semaphore(window);
        writer = new Thread(() -> {
            long k = 0;
            try {
                while (writing.get()) {
                    if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    String cmd = prefix + "-" + (++k);
                    node.submit(state, cmd.getBytes(StandardCharsets.UTF_8)).whenComplete((r, t) -> {
                        slots.release();
                        if (t == null) {
                            acked.incrementAndGet();
                            System.out.println("ack " + cmd + " " + AppendOnlyList.index(r) + " "
                                    + System.currentTimeMillis());
                        } else {
                            failed.incrementAndGet();
                            System.out.println("nack " + cmd + " " + t);
                        }
                    });
                }
                // Wait for what is outstanding.
                slots.tryAcquire(window, 30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "toy-writer");
        writer.start();
    }

    private void stopWriter() throws InterruptedException {
        writing.set(false);
        if (writer != null) {
            writer.join(40_000);
            writer = null;
        }
    }

    /** The server stores of a {@link org.troupe.bench.ThrowAwayPki} made in {@code dir}. */
    private static org.troupe.orb.TlsConfig tls(Path dir) {
        String password = org.troupe.orb.TlsConfig.password(dir.resolve("password"), "", "bench");
        return new org.troupe.orb.TlsConfig(dir.resolve("server.p12"), password, dir.resolve("trust.p12"), password,
                false);
    }
}
