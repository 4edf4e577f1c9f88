package org.troupe.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.server.JavaProcess;

/**
 * Three cluster servers, each its own JVM on 127.0.0.1 with its log on disk. Writers on every
 * server keep submitting; the leader of their state is killed with SIGKILL; a new leader takes
 * over; every acknowledged command is applied exactly once and in the same order everywhere, and
 * each writer's commands in its order; the killed server restarts, catches up and leads again
 * (the writers reconnect to it); then all
 * three restart and the state is still there (snapshots and log).
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterFailoverTest {
    private static final String STATE = "toy";
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path dir;

    private final JavaProcess[] procs = new JavaProcess[3];
    private String peers;

    @AfterEach
    void stopAll() {
        for (JavaProcess p : procs) {
            if (p != null) {
                p.close();
            }
        }
    }

    private JavaProcess start(int i) throws Exception {
        String logback = ToyClusterServer.class.getResource("logback-cluster-child.xml").toString();
        JavaProcess p = JavaProcess.start("s" + (i + 1),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + logback),
                ToyClusterServer.class,
                List.of("s" + (i + 1), peers, dir.resolve("s" + (i + 1)).toString(), "shards=3", "snapshot-every=300"));
        procs[i] = p;
        p.awaitPrefix("ready", WAIT_MS);
        return p;
    }

    /** status line fields of one server. */
    private Map<String, String> status(int i) throws Exception {
        procs[i].send("status " + STATE);
        String line = procs[i].awaitNext("status ", WAIT_MS);
        Map<String, String> out = new HashMap<>();
        for (String kv : line.substring("status ".length()).split(" ")) {
            String[] p = kv.split("=", 2);
            out.put(p[0], p[1]);
        }
        return out;
    }

    private int awaitLeader(int asker, Predicate<Integer> accept) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (true) {
            String leader = status(asker).get("leader");
            if (!"null".equals(leader)) {
                int idx = Integer.parseInt(leader.substring(1)) - 1;
                if (accept.test(idx)) {
                    return idx;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("no acceptable leader seen by s" + (asker + 1) + "\n" + procs[asker].describe());
            }
            Thread.sleep(50);
        }
    }

    private static long count(JavaProcess p, String prefix) {
        return p.lines().stream().filter(l -> l.startsWith(prefix)).count();
    }

    private static void awaitCount(JavaProcess p, String prefix, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (count(p, prefix) < atLeast) {
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException(p.name() + ": fewer than " + atLeast + " '" + prefix + "' lines\n"
                        + p.stderr());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until every running server applied the same log position, then returns their lists. */
    private List<List<String>> dumpAll() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (true) {
            Set<String> applied = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Map<String, String> s = status(i);
                applied.add(s.get("applied") + "/" + s.get("commit"));
            }
            if (applied.size() == 1 && !applied.iterator().next().startsWith("-")) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("servers did not converge: " + applied);
            }
            Thread.sleep(100);
        }
        List<List<String>> lists = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            procs[i].send("dump " + STATE);
            String line = procs[i].awaitNext("dumped ", WAIT_MS);
            lists.add(Files.readAllLines(Path.of(line.split(" ", 3)[2]), StandardCharsets.UTF_8));
        }
        return lists;
    }

    private static Set<String> acked(JavaProcess p) {
        Set<String> out = new HashSet<>();
        for (String l : p.lines()) {
            if (l.startsWith("ack ")) {
                out.add(l.split(" ")[1]);
            }
        }
        return out;
    }

    @Test
    void aKilledLeaderLosesNothingAcknowledgedAndEveryoneAgrees() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            sb.append(i > 1 ? "," : "").append("s").append(i).append("=127.0.0.1:").append(JavaProcess.freePort());
        }
        peers = sb.toString();
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        int leader = awaitLeader(0, x -> true);
        for (int i = 0; i < 3; i++) {
            procs[i].send("write " + STATE + " w" + (i + 1) + " 8");
        }
        for (int i = 0; i < 3; i++) {
            awaitCount(procs[i], "ack ", 200);
        }

        // SIGKILL the leader mid-traffic.
        JavaProcess killed = procs[leader];
        killed.signal("KILL");
        killed.awaitExit(WAIT_MS);
        Set<String> ackedByKilled = acked(killed);
        int survivor = (leader + 1) % 3;
        int newLeader = awaitLeader(survivor, x -> x != leader);
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                awaitCount(procs[i], "ack ", count(procs[i], "ack ") + 200);
            }
        }

        // The killed server restarts (same data) and catches up while the others write on.
        JavaProcess old = killed;
        start(leader);
        // Hand the leadership back to the restarted server: the writers must reconnect to it. Ratis
        // transfers only to a peer that has caught up, and times out (20 s) otherwise: a server
        // that restarts under writers on two busy cores may need longer, so it is asked again.
        String transferred = "";
        for (int attempt = 0; attempt < 3 && !transferred.equals("transferred"); attempt++) {
            procs[survivor].send("transfer " + STATE + " s" + (leader + 1));
            transferred = procs[survivor].awaitNext("transfer", WAIT_MS);
            if (!transferred.contains("TIMED_OUT")) {
                break;
            }
        }
        assertEquals("transferred", transferred, "leadership back to the restarted server");
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                awaitCount(procs[i], "ack ", count(procs[i], "ack ") + 100);
                procs[i].send("stop-writer");
                procs[i].awaitNext("writer-stopped", WAIT_MS);
            }
        }
        List<List<String>> lists = dumpAll();
        assertEquals(lists.get(0), lists.get(1), "s1 and s2 applied different sequences");
        assertEquals(lists.get(0), lists.get(2), "s1 and s3 applied different sequences");
        List<String> applied = lists.get(0);
        assertEquals(applied.size(), new HashSet<>(applied).size(), "a command was applied twice");
        Set<String> allAcked = new HashSet<>(ackedByKilled);
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                allAcked.addAll(acked(procs[i]));
                assertEquals(0, count(procs[i], "nack "), procs[i].name() + " had failures: "
                        + procs[i].lines().stream().filter(l -> l.startsWith("nack")).limit(3).toList());
            }
        }
        Set<String> missing = new HashSet<>(allAcked);
        missing.removeAll(applied);
        assertTrue(missing.isEmpty(), "acknowledged but not applied: " + missing);
        ClusterNodeTest.assertFifoPerSubmitter(applied.stream().map(c -> "n" + c.substring(1)).toList());
        assertTrue(ackedByKilled.size() >= 200, "the killed leader's own writer had acknowledgements");
        System.out.printf("failover test: killed s%d, new leader s%d, %d commands applied, %d acknowledged%n",
                leader + 1, newLeader + 1, applied.size(), allAcked.size());

        // Restart all three: one cleanly (snapshot at stop), two with SIGKILL (snapshot + log tail).
        procs[0].send("quit");
        procs[0].awaitPrefix("closed", WAIT_MS);
        procs[0].awaitExit(WAIT_MS);
        for (int i = 1; i < 3; i++) {
            procs[i].signal("KILL");
            procs[i].awaitExit(WAIT_MS);
        }
        assertTrue(hasSnapshot(dir.resolve("s1")), "s1 took snapshots");
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        awaitLeader(0, x -> true);
        List<List<String>> after = dumpAll();
        for (int i = 0; i < 3; i++) {
            assertEquals(applied, after.get(i), "s" + (i + 1) + " after the restart of all three");
        }
        old.close();
    }

    private static boolean hasSnapshot(Path serverDir) throws IOException {
        try (var files = Files.walk(serverDir)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("snapshot\\.\\d+_\\d+"));
        }
    }
}
