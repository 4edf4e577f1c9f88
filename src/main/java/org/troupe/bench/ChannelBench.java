package org.troupe.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code troupe bench channel}: 1 push supplier to K push consumers through one channel, every
 * party in its own JVM on 127.0.0.1. Prints one machine-readable line per system.
 *
 * <pre>
 *  [supplier JVM] --push/push_batch--> [channel host JVM] --push/push_batch--> [consumer JVM] x K
 * </pre>
 */
public final class ChannelBench {

    /** What one run measured. */
    public record Result(String system, String bench, int consumers, int stopped, int size, int events,
            double eventsPerSecond, long p50us, long p99us, long lost, long reordered, String cpu) {
        public String line() {
            return String.format("%s bench=%s consumers=%d%s size=%d events=%d events_s=%.0f p50_us=%d p99_us=%d lost=%d reordered=%d",
                    system, bench, consumers, stopped > 0 ? " stopped=" + stopped : "", size, events, eventsPerSecond,
                    p50us, p99us, lost, reordered);
        }
    }

    private final List<String> hostArgs;
    private final List<String> jvmArgs;
    private final long idleMillis;

    /**
     * @param hostArgs channel options passed to {@code troupe server} (may be empty: defaults)
     * @param jvmArgs extra JVM arguments for every child
     */
    public ChannelBench(List<String> hostArgs, List<String> jvmArgs, long idleMillis) {
        this.hostArgs = hostArgs;
        this.jvmArgs = jvmArgs;
        this.idleMillis = idleMillis;
    }

    /**
     * One run.
     *
     * @param system "troupe" or "jacorb"
     * @param stopped how many extra consumers to SIGSTOP when the measured phase starts (they are
     *     not counted in the figures)
     * @param warmupMillis how long the supplier sends unmeasured events before the measured ones
     */
    public Result run(String system, int consumers, int stopped, int size, int events, long warmupMillis)
            throws Exception {
        List<ChildProcess> all = new ArrayList<>();
        try {
            int port = freePort();
            String ior;
            if (system.equals("troupe")) { // the real server command
                List<String> args = new ArrayList<>(List.of("server", "--port", Integer.toString(port), "--no-naming",
                        "--channel", "bench", "--exit-with-parent"));
                args.addAll(hostArgs);
                ChildProcess host = track(all, ChildProcess.start("server", jvmArgs, org.troupe.cli.TroupeCli.class, args));
                host.await("troupe server ready", 30_000);
                ior = "corbaloc:iiop:127.0.0.1:" + port + "/Troupe/channels/bench";
            } else {
                ChildProcess host = track(all, ChildProcess.start("host", jvmArgs, JacorbChannelHost.class,
                        List.of(Integer.toString(port))));
                ior = host.await("READY ", 30_000).substring("READY ".length());
            }

            java.util.Map<ChildProcess, Long> cpuAtReady = new java.util.HashMap<>();
            cpuAtReady.put(all.get(0), all.get(0).cpuMillis());
            List<ChildProcess> healthy = new ArrayList<>();
            List<ChildProcess> toStop = new ArrayList<>();
            for (int i = 0; i < consumers + stopped; i++) {
                ChildProcess c = track(all, ChildProcess.start("consumer-" + i, jvmArgs, BenchConsumer.class,
                        List.of(ior, Integer.toString(events), Long.toString(idleMillis))));
                c.await("READY", 30_000);
                cpuAtReady.put(c, c.cpuMillis());
                if (i < consumers) {
                    healthy.add(c);
                } else {
                    toStop.add(c);
                }
            }
            ChildProcess supplier = track(all, ChildProcess.start("supplier", jvmArgs, BenchSupplier.class,
                    List.of(ior, Integer.toString(events), Integer.toString(size), Long.toString(warmupMillis))));
            supplier.await("READY", 30_000);
            supplier.send("GO");
            supplier.await("MEASURE", 120_000 + warmupMillis);
            for (ChildProcess c : toStop) {
                c.signal("STOP");
            }
            for (ChildProcess c : all) { // CPU from here on: the measured phase
                cpuAtReady.put(c, c.cpuMillis());
            }

            long timeout = 60_000 + events / 50; // generous: >= 50 events/s
            double minRate = Double.MAX_VALUE;
            long lost = 0;
            long reordered = 0;
            List<Long> p50s = new ArrayList<>();
            List<Long> p99s = new ArrayList<>();
            for (ChildProcess c : healthy) {
                Map<String, String> r = fields(c.await("RESULT", timeout + idleMillis));
                minRate = Math.min(minRate, Double.parseDouble(r.get("events_s")));
                lost += events - Long.parseLong(r.get("distinct"));
                reordered += Long.parseLong(r.get("reordered"));
                p50s.add(Long.parseLong(r.get("p50_us")));
                p99s.add(Long.parseLong(r.get("p99_us")));
            }
            supplier.await("DONE", 30_000);
            // CPU used in the measured phase, per event: start-up and warm-up excluded
            StringBuilder cpu = new StringBuilder("cpu_us_per_event");
            for (ChildProcess c : all) {
                if (c.isAlive() && (healthy.contains(c) || !c.name().startsWith("consumer-"))) {
                    cpu.append(' ').append(c.name()).append('=').append(String.format("%.1f",
                            (c.cpuMillis() - cpuAtReady.getOrDefault(c, 0L)) * 1000.0 / events));
                }
            }
            return new Result(stopped > 0 ? system + "-stopped" : system, "channel", consumers, stopped, size, events,
                    minRate, median(p50s), max(p99s), lost, reordered, cpu.toString());
        } finally {
            for (ChildProcess c : all) {
                if (c.isAlive()) {
                    c.signal("CONT");
                    c.signal("TERM"); // the server stops on SIGTERM, the others on stdin EOF
                    c.finish(3000);
                }
                c.close();
            }
        }
    }

    private static ChildProcess track(List<ChildProcess> all, ChildProcess c) {
        all.add(c);
        return c;
    }

    static Map<String, String> fields(String line) {
        Map<String, String> m = new TreeMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }

    private static long max(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}
