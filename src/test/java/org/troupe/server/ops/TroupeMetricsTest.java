package org.troupe.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.server.cluster.RaftGroupStatus;
import org.troupe.server.events.ChannelStatus;
import org.troupe.server.groups.GroupStatus;
import org.troupe.server.groups.MemberInfo;
import org.troupe.server.groups.RemovalReason;
import org.troupe.server.groups.View;

/**
 * The metrics read what the source shows at each scrape, in Prometheus' names and bounded
 * labels, and drop the meters of a group or channel that is gone.
 */
@Tag("unit")
class TroupeMetricsTest {
    /** A source whose snapshots the test sets. */
    static final class FakeSource implements OpsSource {
        volatile List<GroupStatus> groups = List.of();
        volatile List<ChannelStatus> channels = List.of();
        volatile List<RaftGroupStatus> raft = List.of();

        @Override
        public List<GroupStatus> groups() {
            return groups;
        }

        @Override
        public List<ChannelStatus> channels() {
            return channels;
        }

        @Override
        public List<RaftGroupStatus> raftGroups() {
            return raft;
        }

        @Override
        public String notReadyReason() {
            return null;
        }
    }

    static GroupStatus group(String name, int members, long views, long sequenced, long silent) {
        List<MemberInfo> ms = new ArrayList<>();
        for (int i = 1; i <= members; i++) {
            ms.add(new MemberInfo(i, "m" + i, "Node"));
        }
        Map<RemovalReason, Long> removed = new EnumMap<>(RemovalReason.class);
        removed.put(RemovalReason.SILENT, silent);
        return new GroupStatus(name, "proto", new View(views, ms, true, 0), sequenced, views, sequenced + 1,
                10 * sequenced, removed, 2, 3, 4, null, 0);
    }

    /** The value of the one sample of {@code name} with these label pairs ({@code k="v"}), or NaN. */
    static double sample(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            String head = line.substring(0, line.lastIndexOf(' '));
            boolean all = true;
            for (String l : labels) {
                all &= head.contains(l);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** The sum of every sample of {@code name} with these label pairs ({@code k="v"}). */
    static double sum(String scrape, String name, String... labels) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    @Test
    void groupsAndChannelsShowWhatTheSourceHolds() {
        FakeSource source = new FakeSource();
        TroupeMetrics metrics = new TroupeMetrics(source);
        source.groups = List.of(group("chess", 2, 3, 40, 1), group("go", 1, 1, 0, 0));
        source.channels = List.of(new ChannelStatus("prices", false, 3, 1, 900, 7, 1, 12, 5, 2),
                new ChannelStatus("group.chess", true, 2, 0, 80, 0, 0, 0, 0, 0));
        String s = metrics.scrape();

        assertEquals(2.0, sample(s, "troupe_groups"));
        assertEquals(2.0, sample(s, "troupe_group_members", "group=\"chess\""));
        assertEquals(3.0, sample(s, "troupe_group_views_total", "group=\"chess\""));
        assertEquals(40.0, sample(s, "troupe_group_messages_sequenced_total", "group=\"chess\""));
        assertEquals(41.0, sample(s, "troupe_group_messages_sent_total", "group=\"chess\""));
        assertEquals(400.0, sample(s, "troupe_group_payload_bytes_total", "group=\"chess\""));
        assertEquals(1.0, sample(s, "troupe_group_members_removed_total", "group=\"chess\"", "reason=\"silent\""));
        assertEquals(0.0, sample(s, "troupe_group_members_removed_total", "group=\"chess\"", "reason=\"left\""));
        assertEquals(900.0, sample(s, "troupe_channel_events_delivered_total", "channel=\"prices\"",
                "kind=\"public\""));
        assertEquals(7.0, sample(s, "troupe_channel_events_dropped_total", "channel=\"prices\""));
        assertEquals(1.0, sample(s, "troupe_channel_consumers_evicted_total", "channel=\"prices\""));
        assertEquals(12.0, sample(s, "troupe_channel_queue_depth", "channel=\"prices\""));
        assertEquals(2.0, sample(s, "troupe_channel_flow_timeouts_total", "channel=\"prices\""));
        assertEquals(5.0, sample(s, "troupe_channel_flow_waits_total", "channel=\"prices\""));
        assertEquals(80.0, sample(s, "troupe_channel_events_delivered_total", "channel=\"group.chess\"",
                "kind=\"group\""));
        assertEquals(2.0, sample(s, "troupe_group_queries_open", "group=\"chess\""));
        assertEquals(3.0, sample(s, "troupe_group_queries_timed_out_total", "group=\"chess\""));
        assertEquals(4.0, sample(s, "troupe_group_sequencer_handovers_total", "group=\"chess\""));
        assertEquals(0.0, sample(s, "troupe_group_sequencer_on_member", "group=\"chess\""));
        assertFalse(s.contains("member=\""), "no per-member labels");
        // one sample per heap pool, and a pool (a survivor space after a collection) can be empty
        assertTrue(sum(s, "jvm_memory_used_bytes", "area=\"heap\"") > 0, "the process's own meters too");
        assertTrue(sample(s, "process_uptime_seconds") > 0);
        assertFalse(s.contains("troupe_cluster_"), "no cluster meters on a server on its own");

        // later snapshots are read; a destroyed group's meters go
        source.groups = List.of(group("chess", 1, 4, 45, 2));
        s = metrics.scrape();
        assertEquals(1.0, sample(s, "troupe_groups"));
        assertEquals(1.0, sample(s, "troupe_group_members", "group=\"chess\""));
        assertEquals(45.0, sample(s, "troupe_group_messages_sequenced_total", "group=\"chess\""));
        assertEquals(2.0, sample(s, "troupe_group_members_removed_total", "group=\"chess\"", "reason=\"silent\""));
        assertFalse(s.contains("group=\"go\""), s);
    }

    @Test
    void clusterMetersShowLeadershipTermAndCommitTime() {
        FakeSource source = new FakeSource();
        TroupeMetrics metrics = new TroupeMetrics(source);
        source.raft = List.of(new RaftGroupStatus("directory", "u0", "s1", 3, 10, 10, true, "s1", 0),
                new RaftGroupStatus("shard-0", "u1", "s2", 5, 10, 10, false, "s2", 0));
        java.util.function.LongConsumer commits = metrics.commitTimer();
        commits.accept(2_000_000);
        commits.accept(4_000_000);
        String s = metrics.scrape();
        assertEquals(1.0, sample(s, "troupe_cluster_leader", "raft_group=\"directory\""));
        assertEquals(0.0, sample(s, "troupe_cluster_leader", "raft_group=\"shard-0\""));
        assertEquals(5.0, sample(s, "troupe_cluster_term", "raft_group=\"shard-0\""));
        assertEquals(2.0, sample(s, "troupe_cluster_commit_seconds_count"));
        assertEquals(0.006, sample(s, "troupe_cluster_commit_seconds_sum"), 1e-9);
    }

    @Test
    void removalReasonsFallInTheirFixedClasses() {
        assertEquals(RemovalReason.OTHER, RemovalReason.ofLiveness("something new"));
        assertEquals(RemovalReason.OTHER, RemovalReason.ofLiveness(null));
    }
}
