package org.troupe.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three real Ratis servers in this JVM, log on disk, 127.0.0.1. */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replicatesInOrderSpreadsLeadersTransfersAndSurvivesRestart() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3, b -> b.shards(6).snapshotEveryEntries(50))) {
            c.awaitLeaders(WAIT);
            // Priorities spread the preferred leaders: two shards per server.
            LocalCluster.await(() -> {
                for (RaftGroupStatus s : c.nodes[0].status()) {
                    if (!s.preferredLeader().equals(s.leader())) {
                        return false;
                    }
                }
                return true;
            }, WAIT, "every group led by its preferred server");
            int[] led = new int[3];
            for (RaftGroupStatus s : c.nodes[0].status()) {
                if (!s.group().equals(ClusterLayout.DIRECTORY)) {
                    led[Integer.parseInt(s.leader().substring(1)) - 1]++;
                }
            }
            assertEquals(List.of(2, 2, 2), List.of(led[0], led[1], led[2]));

            // Submissions from every node, to several states; each node's own order is kept.
            List<String> names = List.of("alpha", "beta", "gamma", "delta");
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int k = 0; k < 300; k++) {
                for (int i = 0; i < 3; i++) {
                    String name = names.get((k + i) % names.size());
                    futures.add(c.nodes[i].submit(name, bytes("n" + i + "-" + k)));
                }
            }
            futures.add(c.nodes[1].submitToDirectory(bytes("dir-1")));
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (String name : names) {
                String group = c.nodes[0].groupOf(name);
                long commit = c.nodes[c.leaderIndex(group)].status(group).commitIndex();
                for (int i = 0; i < 3; i++) {
                    int node = i;
                    LocalCluster.await(() -> c.nodes[node].status(group).appliedIndex() >= commit, WAIT,
                            "s" + (i + 1) + " applied " + group);
                }
                List<String> first = c.states[0].get(name).commands();
                for (int i = 1; i < 3; i++) {
                    assertEquals(first, c.states[i].get(name).commands(), name + " differs on s" + (i + 1));
                }
                assertFifoPerSubmitter(first);
            }
            long[] counters = c.nodes[0].submitCounters();
            assertTrue(counters[0] < counters[1], "commands were batched: " + counters[0] + " entries for "
                    + counters[1] + " commands");

            // A failing apply fails only its own command.
            CompletableFuture<byte[]> bad = c.nodes[2].submit("alpha", bytes("fail-me"));
            CompletableFuture<byte[]> good = c.nodes[2].submit("alpha", bytes("after-fail"));
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(20, TimeUnit.SECONDS));
            assertInstanceOf(CommandFailedException.class, e.getCause());
            assertTrue(AppendOnlyList.index(good.get(20, TimeUnit.SECONDS)) > 0);
            // A state the factory refuses fails the command too.
            ExecutionException noState = assertThrows(ExecutionException.class,
                    () -> c.nodes[0].submit("bad-name", bytes("x")).get(20, TimeUnit.SECONDS));
            assertInstanceOf(CommandFailedException.class, noState.getCause());

            // Leadership transfer, seen by a listener and by the state.
            String group = c.nodes[0].groupOf("alpha");
            int from = c.leaderIndex(group);
            int to = (from + 1) % 3;
            List<RaftGroupStatus> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.nodes[to].addLeadershipListener(seen::add);
            c.nodes[0].transferLeadership(group, "s" + (to + 1), Duration.ofSeconds(10));
            LocalCluster.await(() -> c.nodes[to].status(group).localLeader(), WAIT, "s" + (to + 1) + " leads " + group);
            LocalCluster.await(() -> seen.stream().anyMatch(s -> s.group().equals(group) && s.localLeader()), WAIT,
                    "listener told");
            LocalCluster.await(() -> c.states[to].get("alpha").leader(), WAIT, "state told it leads");
            LocalCluster.await(() -> !c.states[from].get("alpha").leader(), WAIT, "old leader's state told");
            assertTrue(AppendOnlyList.index(c.nodes[from].submit("alpha", bytes("after-transfer"))
                    .get(20, TimeUnit.SECONDS)) > 0);
            assertEquals("s" + (to + 1), c.nodes[0].status(group).preferredLeader(), "the transfer's priorities");
            // ... and back to the layout's preferred leader.
            assertEquals(List.of(group), c.nodes[to].restorePreferredLeaders(Duration.ofSeconds(10)));
            LocalCluster.await(() -> c.nodes[from].status(group).localLeader(), WAIT, "s" + (from + 1) + " leads again");

            // Restart all three: snapshots (taken every 50 entries and at stop) and the log tail.
            c.nodes[0].snapshot(group, Duration.ofSeconds(10));
            CompletableFuture<byte[]> last = c.nodes[1].submit("alpha", bytes("last"));
            last.get(20, TimeUnit.SECONDS);
            LocalCluster.await(() -> c.states[0].get("alpha").commands().contains("last")
                    && c.states[2].get("alpha").commands().contains("last"), WAIT, "last applied everywhere");
            List<List<String>> before = new ArrayList<>();
            for (String name : names) {
                before.add(c.states[0].get(name).commands());
            }
            for (int i = 0; i < 3; i++) {
                c.stop(i);
            }
            for (int i = 0; i < 3; i++) {
                c.start(i);
            }
            c.awaitLeaders(WAIT);
            for (int n = 0; n < names.size(); n++) {
                String name = names.get(n);
                for (int i = 0; i < 3; i++) {
                    int node = i;
                    List<String> want = before.get(n);
                    LocalCluster.await(() -> c.states[node].get(name) != null
                            && c.states[node].get(name).commands().equals(want), WAIT,
                            name + " restored on s" + (i + 1));
                }
            }
            // And it goes on from there: the index keeps counting.
            long next = AppendOnlyList.index(c.nodes[2].submit("alpha", bytes("after-restart")).get(30, TimeUnit.SECONDS));
            List<Long> idx = c.states[2].get("alpha").indexes();
            assertTrue(next > idx.get(idx.size() - 2), "index " + next + " after " + idx);
        }
    }

    /** Each submitter's commands ("nI-K") appear in increasing K. */
    static void assertFifoPerSubmitter(List<String> commands) {
        java.util.Map<String, Integer> last = new java.util.HashMap<>();
        for (String c : commands) {
            int dash = c.indexOf('-');
            if (!c.startsWith("n") || dash < 0) {
                continue;
            }
            String who = c.substring(0, dash);
            int k = Integer.parseInt(c.substring(dash + 1));
            Integer prev = last.put(who, k);
            assertTrue(prev == null || prev < k, who + ": " + k + " after " + prev + " in " + commands);
        }
    }

    @Test
    void aCopyCaughtUpWithItsLeadersTermHoldsEveryAcknowledgedCommandEvenAfterTheLeaderStopped() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3, b -> b.shards(1))) {
            c.awaitLeaders(WAIT);
            String group = c.nodes[0].groupOf("alpha");
            int leader = c.leaderIndex(group);
            List<CompletableFuture<byte[]>> acked = new ArrayList<>();
            for (int k = 0; k < 200; k++) {
                acked.add(c.nodes[leader].submit("alpha", bytes("n" + leader + "-" + k)));
            }
            CompletableFuture.allOf(acked.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            // Every acknowledged command is in a follower's copy as soon as it says it caught up.
            for (int i = 0; i < 3; i++) {
                c.nodes[i].awaitCaughtUp("alpha", WAIT);
                assertEquals(200, c.states[i].get("alpha").commands().size(), "s" + (i + 1) + " after catching up");
            }
            // The leader stops: a survivor catches up only with the next leader's term.
            c.stop(leader);
            int survivor = (leader + 1) % 3;
            c.nodes[survivor].awaitCaughtUp("alpha", WAIT);
            RaftGroupStatus s = c.nodes[survivor].status(group);
            assertTrue(s.leader() != null && !s.leader().equals("s" + (leader + 1)), "a new leader: " + s);
            assertEquals(200, c.states[survivor].get("alpha").commands().size());
        }
    }

    @Test
    void bindsItsOwnAddressOnlyAndRefusesADataDirectoryMadeForAnotherLayout() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 1, b -> b.shards(2))) {
            c.awaitLeaders(WAIT);
            int port = c.configs.get(0).self().port();
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                assertTrue(s.isConnected());
            }
            // Another loopback address reaches a wildcard bind, not one to 127.0.0.1.
            assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.2", port).close());
            // A cluster of one commits on its own.
            assertEquals(1, AppendOnlyList.index(c.nodes[0].submit("solo", bytes("x")).get(20, TimeUnit.SECONDS)));
        }
        ClusterConfig other = ClusterConfig.builder().serverId("s1")
                .peers("s1=127.0.0.1:" + org.troupe.server.JavaProcess.freePort())
                .dataDir(dir.resolve("s1")).shards(3).build();
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> ClusterNode.start(other, new AppendOnlyList.Factory()));
        assertTrue(e.getMessage().contains("shards 2, not 3") || e.getMessage().contains("peers"), e.getMessage());
    }
}
