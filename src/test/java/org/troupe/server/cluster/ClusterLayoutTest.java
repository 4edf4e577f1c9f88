package org.troupe.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ClusterLayoutTest {
    private static final List<ClusterConfig.Peer> PEERS = ClusterConfig.parsePeers("s1=h:1,s2=h:2,s3=h:3");

    @Test
    void groupIdsAndShardsAreTheSameOnEveryServerAndAcrossRestarts() {
        ClusterLayout a = new ClusterLayout("troupe", PEERS, 6);
        ClusterLayout b = new ClusterLayout("troupe", PEERS, 6);
        for (int slot = 0; slot < a.slots(); slot++) {
            assertEquals(a.group(slot).getGroupId(), b.group(slot).getGroupId());
        }
        assertNotEquals(a.group(1).getGroupId(), new ClusterLayout("other", PEERS, 6).group(1).getGroupId());
        Set<Object> ids = new HashSet<>();
        a.groups().forEach(g -> ids.add(g.getGroupId()));
        assertEquals(7, ids.size());
        // The shard of a name is fixed: CRC-32 of its UTF-8 bytes (a known value pins it).
        assertEquals((int) (0x352441C2L % 6), a.shardOf("abc"));
        assertEquals(a.shardOf("tele-teaching"), b.shardOf("tele-teaching"));
    }

    @Test
    void namesSpreadOverTheShards() {
        ClusterLayout l = new ClusterLayout("troupe", PEERS, 6);
        int[] count = new int[6];
        for (int i = 0; i < 6000; i++) {
            count[l.shardOf("group-" + i)]++;
        }
        for (int c : count) {
            assertTrue(c > 800 && c < 1200, "uneven: " + java.util.Arrays.toString(count));
        }
    }

    @Test
    void preferredLeadersRotateSoEachServerLeadsAsMany() {
        ClusterLayout l = new ClusterLayout("troupe", PEERS, 6);
        int[] led = new int[3];
        for (int slot = 1; slot < l.slots(); slot++) {
            int preferred = l.preferredLeader(slot);
            led[preferred]++;
            List<RaftPeer> peers = l.group(slot).getPeers().stream().toList();
            RaftPeer top = peers.stream().max(java.util.Comparator.comparingInt(RaftPeer::getPriority)).orElseThrow();
            assertEquals(PEERS.get(preferred).id(), top.getId().toString());
        }
        assertEquals(List.of(2, 2, 2), List.of(led[0], led[1], led[2]));
        assertEquals("directory", l.groupName(0));
        assertEquals("shard-5", l.groupName(6));
        assertEquals(3, l.slotOf("shard-2"));
        assertEquals(-1, l.slotOf("shard-9"));
    }

    @Test
    void aTransferMakesTheTargetTheTopPriority() {
        ClusterLayout l = new ClusterLayout("troupe", PEERS, 3);
        RaftPeer top = l.raftPeersLedBy("s3").stream()
                .max(java.util.Comparator.comparingInt(RaftPeer::getPriority)).orElseThrow();
        assertEquals("s3", top.getId().toString());
    }
}
