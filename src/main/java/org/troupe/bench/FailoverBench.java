package org.troupe.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.member.GroupSpec;

/**
 * {@code troupe bench failover}: a cluster of servers, each its own JVM, and members, each its own
 * JVM, sending steadily to one group; the leader of the group is killed with SIGKILL, again and
 * again, the killed server restarted (same ports, same data) and caught up before the next kill.
 *
 * <pre>
 *  [member JVM] x M --send/deliver--> [leader of the group's shard] --Raft--> [followers]
 *        ^ each knows every server         | SIGKILL: a follower is elected, members move to it
 *        '----------------------------------'
 * </pre>
 *
 * <p>Figures: the <em>pause</em> a member saw at a kill is the longest gap between two of its
 * deliveries that ends after the kill and by the next kill (the gap that spans the kill
 * included); p50, p99 and max are over every kill and member. Over the
 * whole run: {@code lost} counts messages a member never delivered although their sender's
 * {@code send} returned, {@code duplicated} deliveries of a message a member had already
 * delivered, {@code reordered} deliveries out of their sender's order plus deliveries at
 * another place of the total order than at the first member. All three must be 0.
 */
public final class FailoverBench {
    private static final String GROUP = "failover";
    private static final long WAIT_MILLIS = 60_000;

    /** What a run measured. */
    public record Result(int servers, int members, int kills, long pauseP50ms, long pauseP99ms, long pauseMaxms,
            long lost, long duplicated, long reordered, String problem) {
        public String line() {
            return String.format("troupe bench=failover servers=%d members=%d kills=%d pause_p50_ms=%d pause_p99_ms=%d "
                    + "pause_max_ms=%d lost=%d duplicated=%d reordered=%d", servers, members, kills, pauseP50ms,
                    pauseP99ms, pauseMaxms, lost, duplicated, reordered);
        }

        /** Nothing lost, duplicated or reordered, and nobody removed. */
        public boolean ok() {
            return lost == 0 && duplicated == 0 && reordered == 0 && problem == null;
        }
    }

    /** One kill: when, whom, and what the cluster did. */
    record Kill(int number, String server, long atMicros, String newLeader, long electedMillis) {
    }

    private final List<String> serverJvm;
    private final List<String> memberJvm;
    private final PrintWriter log;

    /**
     * @param serverJvm JVM arguments of the servers
     * @param memberJvm JVM arguments of the members
     * @param log where progress goes (one {@code #} line per step)
     */
    public FailoverBench(List<String> serverJvm, List<String> memberJvm, PrintWriter log) {
        this.serverJvm = List.copyOf(serverJvm);
        this.memberJvm = List.copyOf(memberJvm);
        this.log = log;
    }

    /**
     * One run.
     *
     * @param rate messages per second each member sends
     * @param settleMillis steady traffic before the first kill and after each restarted server
     *     caught up, before the next kill
     */
    public Result run(int servers, int members, int kills, double rate, int size, long settleMillis) throws Exception {
        if (servers < 3) {
            throw new IllegalArgumentException("--servers must be at least 3: a cluster survives a kill only when a "
                    + "majority is left");
        }
        if (members < 1 || kills < 1 || rate <= 0) {
            throw new IllegalArgumentException("--members, --kills and --rate must be positive");
        }
        Path dir = Files.createTempDirectory("troupe-bench-failover");
        List<ChildProcess> group = new ArrayList<>();
        say("starting %d servers", servers);
        try (BenchCluster cluster = BenchCluster.start(servers, serverJvm)) {
            cluster.createGroups(List.of(GROUP), GroupSpec.parse(GROUP, "member:0:n", "bench"));
            cluster.awaitPreferredLeaders(List.of(GROUP));
            say("group %s led by %s; starting %d members", GROUP, cluster.leaderOf(GROUP), members);
            for (int i = 0; i < members; i++) {
                group.add(ChildProcess.start("member-" + i, memberJvm, FailoverMember.class, List.of(
                        "--servers", cluster.addresses(), "--group", GROUP, "--index", Integer.toString(i),
                        "--members", Integer.toString(members), "--rate", Double.toString(rate),
                        "--size", Integer.toString(size), "--out", dir.resolve("member-" + i).toString())));
            }
            for (ChildProcess c : group) {
                c.await("READY", BenchCluster.START_MILLIS);
            }
            for (ChildProcess c : group) {
                c.send("GO");
            }
            awaitProgress(cluster, settleMillis);
            List<Kill> done = new ArrayList<>();
            for (int k = 1; k <= kills; k++) {
                done.add(killLeader(cluster, k, settleMillis));
            }
            long endMicros = OrderRecorder.nowMicros();
            long[] sent = new long[members];
            for (int i = 0; i < members; i++) {
                group.get(i).send("STOP");
            }
            for (int i = 0; i < members; i++) {
                String line = group.get(i).await("SENT ", WAIT_MILLIS * 2);
                sent[i] = Long.parseLong(line.split(" ")[1]);
                if (line.contains("failed")) {
                    say("member-%d: %s", i, line);
                }
            }
            StringBuilder expect = new StringBuilder("EXPECT ");
            for (int i = 0; i < members; i++) {
                expect.append(i == 0 ? "" : ",").append(sent[i]);
            }
            for (ChildProcess c : group) {
                c.send(expect.toString());
            }
            for (ChildProcess c : group) {
                c.await("DONE", WAIT_MILLIS * 2);
            }
            List<DeliveryLog.Record> records = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                records.add(DeliveryLog.Record.read(dir.resolve("member-" + i)));
            }
            for (ChildProcess c : group) {
                c.send("EXIT");
            }
            for (ChildProcess c : group) { // members leave while the servers still run
                c.finish(15_000);
            }
            long[] killMicros = done.stream().mapToLong(Kill::atMicros).toArray();
            Result r = analyse(servers, kills, sent, killMicros, endMicros, records);
            long[][] pauses = pauses(killMicros, endMicros, records);
            for (Kill kill : done) {
                StringBuilder p = new StringBuilder();
                for (int m = 0; m < members; m++) {
                    p.append(m == 0 ? "" : " ").append(pauses[kill.number() - 1][m] / 1000);
                }
                say("kill %d: %s; new leader %s elected %d ms after the kill; pauses (ms, per member): %s",
                        kill.number(), kill.server(), kill.newLeader(), kill.electedMillis(), p);
            }
            say("sent %s in all; %d deliveries at member 0", Arrays.toString(sent), records.get(0).size());
            return r;
        } finally {
            for (ChildProcess c : group) {
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

    /** Kills the group's leader, waits for the next one, restarts the killed server and lets it catch up. */
    private Kill killLeader(BenchCluster cluster, int number, long settleMillis) throws Exception {
        String leader = awaitLeader(cluster, null);
        int victim = cluster.indexOf(leader);
        long at = OrderRecorder.nowMicros();
        long t0 = System.nanoTime();
        cluster.kill(victim);
        String next = awaitLeader(cluster, leader);
        long elected = (System.nanoTime() - t0) / 1_000_000L;
        say("kill %d: SIGKILLed %s (the group's leader); %s leads after %d ms; restarting %s", number, leader, next,
                elected, leader);
        cluster.restart(victim);
        long target = sequencedAt(cluster, cluster.indexOf(next));
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        while (true) { // caught up: its copy has what the leader had when it came back
            long have = -1;
            try {
                have = sequencedAt(cluster, victim);
            } catch (Exception e) {
                // not answering yet
            }
            if (have >= target) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException(leader + " did not catch up within " + WAIT_MILLIS + " ms (it has " + have
                        + " of " + target + " messages)");
            }
            Thread.sleep(100);
        }
        awaitProgress(cluster, settleMillis);
        return new Kill(number, leader, at, next, elected);
    }

    /** The group's leader, once there is one other than {@code not}. */
    private static String awaitLeader(BenchCluster cluster, String not) throws Exception {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        while (true) {
            String l = "";
            try {
                l = cluster.leaderOf(GROUP);
            } catch (org.troupe.member.TroupeException e) {
                // no server answered just now
            }
            if (!l.isEmpty() && !l.equals(not)) {
                return l;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("no leader for " + GROUP + (not == null ? "" : " other than " + not)
                        + " within " + WAIT_MILLIS + " ms");
            }
            Thread.sleep(20);
        }
    }

    private static long sequencedAt(BenchCluster cluster, int server) throws Exception {
        for (GroupInfo g : cluster.groupsAt(server)) {
            if (g.name.equals(GROUP)) {
                return g.messages_sequenced;
            }
        }
        return -1;
    }

    /** Waits {@code millis} of traffic: the group must have ordered messages meanwhile. */
    private static void awaitProgress(BenchCluster cluster, long millis) throws Exception {
        long before = sequenced(cluster);
        long deadline = System.nanoTime() + (millis + WAIT_MILLIS) * 1_000_000L;
        long steadyFrom = System.nanoTime();
        while (System.nanoTime() - steadyFrom < millis * 1_000_000L || sequenced(cluster) <= before) {
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("the group ordered nothing for " + WAIT_MILLIS + " ms");
            }
            Thread.sleep(50);
        }
    }

    private static long sequenced(BenchCluster cluster) throws Exception {
        for (GroupInfo g : cluster.groups()) {
            if (g.name.equals(GROUP)) {
                return g.messages_sequenced;
            }
        }
        return -1;
    }

    private void say(String format, Object... args) {
        log.println("# " + String.format(format, args));
        log.flush();
    }

    /**
     * The longest gap (microseconds) each member saw around each kill: {@code [kill][member]}. A
     * gap between two consecutive deliveries belongs to the kill it ends after, the latest such
     * (so the gap that spans a kill is that kill's). A member with no delivery between a kill and
     * the next (or {@code endMicros}, the end of sending) counts from its last delivery before it
     * up to then.
     */
    static long[][] pauses(long[] killMicros, long endMicros, List<DeliveryLog.Record> records) {
        long[][] out = new long[killMicros.length][records.size()];
        for (int k = 0; k < killMicros.length; k++) {
            long from = killMicros[k];
            boolean last = k + 1 == killMicros.length;
            long to = last ? endMicros : killMicros[k + 1];
            for (int m = 0; m < records.size(); m++) {
                long[] t = records.get(m).micros();
                long longest = 0;
                long before = from;
                boolean any = false;
                for (int i = 0; i < t.length; i++) {
                    boolean inWindow = t[i] > from && (last || t[i] <= to);
                    if (inWindow) {
                        any = true;
                        if (i > 0) {
                            longest = Math.max(longest, t[i] - t[i - 1]);
                        }
                    } else if (t[i] <= from) {
                        before = t[i];
                    }
                }
                out[k][m] = any ? longest : Math.max(longest, to - before);
            }
        }
        return out;
    }

    /** The figures of a run from what each member delivered; {@code sent[s]}: what member s's send took. */
    static Result analyse(int servers, int kills, long[] sent, long[] killMicros, long endMicros,
            List<DeliveryLog.Record> records) {
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        String problem = null;
        List<long[]> sequences = new ArrayList<>();
        for (int m = 0; m < records.size(); m++) {
            DeliveryLog.Record r = records.get(m);
            Set<Long> seen = new HashSet<>();
            long[] next = new long[sent.length];
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                int s = r.senders()[i];
                long k = r.numbers()[i];
                long key = (long) s << 40 | k;
                if (!seen.add(key)) {
                    duplicated++;
                    continue;
                }
                order.add(key);
                if (s < 0 || s >= sent.length || k >= sent[s]) {
                    problem = "member " + m + " delivered message " + k + " of member " + s + ", which it did not send";
                    reordered++;
                    continue;
                }
                if (k < next[s]) {
                    reordered++; // after a later message of its sender (a gap counts as lost, below)
                }
                next[s] = Math.max(next[s], k + 1);
            }
            for (int s = 0; s < sent.length; s++) {
                for (long k = 0; k < sent[s]; k++) {
                    if (!seen.contains((long) s << 40 | k)) {
                        lost++;
                    }
                }
            }
            sequences.add(order.stream().mapToLong(Long::longValue).toArray());
            if (r.removed() > 0) {
                problem = "member " + m + " saw " + r.removed() + " members go out of the view";
            }
            if (!r.closed().isEmpty()) {
                problem = "member " + m + " was closed: " + r.closed();
            }
        }
        reordered += outOfPlace(sequences);
        long[][] pauses = pauses(killMicros, endMicros, records);
        long[] all = Arrays.stream(pauses).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(servers, records.size(), kills, percentile(all, 0.50) / 1000, percentile(all, 0.99) / 1000,
                all.length == 0 ? 0 : all[all.length - 1] / 1000, lost, duplicated, reordered, problem);
    }

    /**
     * Deliveries at another place of the total order than at member 0: each member's sequence and
     * member 0's, both restricted to the messages both delivered, compared position by position.
     */
    static long outOfPlace(List<long[]> sequences) {
        long[] ref = sequences.get(0);
        long out = 0;
        for (int m = 1; m < sequences.size(); m++) {
            long[] mine = sequences.get(m);
            Set<Long> inRef = new HashSet<>();
            for (long x : ref) {
                inRef.add(x);
            }
            Set<Long> inMine = new HashSet<>();
            for (long x : mine) {
                inMine.add(x);
            }
            long[] a = Arrays.stream(ref).filter(inMine::contains).toArray();
            long[] b = Arrays.stream(mine).filter(inRef::contains).toArray();
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                if (a[i] != b[i]) {
                    out++;
                }
            }
        }
        return out;
    }

    /** Nearest-rank percentile of sorted values (0 when empty). */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
