package org.troupe.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Where everything lives, computed the same way on every server from the configuration alone:
 * the Raft groups (one directory group and {@code shards} shard groups), their ids
 * ({@code UUID.nameUUIDFromBytes} of the cluster name and the group's name), their peers with
 * a rotating preferred leader (the one peer with priority 1) so that the leaders spread evenly
 * over the servers, and the shard
 * of each named state (CRC-32 of its UTF-8 name, modulo the number of shards).
 *
 * <p>Slot 0 is the directory group; slots 1..shards are shards 0..shards-1.
 */
public final class ClusterLayout {
    /** The name of the directory's Raft group. */
    public static final String DIRECTORY = "directory";

    private final String clusterName;
    private final List<ClusterConfig.Peer> peers;
    private final int shards;
    private final List<RaftGroup> groups = new ArrayList<>();

    public ClusterLayout(ClusterConfig config) {
        this(config.clusterName(), config.peers(), config.shards());
    }

    ClusterLayout(String clusterName, List<ClusterConfig.Peer> peers, int shards) {
        this.clusterName = clusterName;
        this.peers = List.copyOf(peers);
        this.shards = shards;
        for (int slot = 0; slot <= shards; slot++) {
            groups.add(RaftGroup.valueOf(groupId(slot), raftPeers(preferredLeader(slot))));
        }
    }

    /** The number of Raft groups: the directory and the shards. */
    public int slots() {
        return shards + 1;
    }

    public int shards() {
        return shards;
    }

    /** The shard (0-based) that holds the state of this name; stable across servers and restarts. */
    public int shardOf(String stateName) {
        CRC32 crc = new CRC32();
        crc.update(stateName.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    /** The slot of a shard. */
    public static int slotOfShard(int shard) {
        return shard + 1;
    }

    /** {@code "directory"} or {@code "shard-N"}. */
    public String groupName(int slot) {
        return slot == 0 ? DIRECTORY : "shard-" + (slot - 1);
    }

    /** The slot of a group name, or -1. */
    public int slotOf(String groupName) {
        for (int slot = 0; slot < slots(); slot++) {
            if (groupName(slot).equals(groupName)) {
                return slot;
            }
        }
        return -1;
    }

    /** The slot of a Raft group id, or -1. */
    public int slotOf(RaftGroupId id) {
        for (int slot = 0; slot < slots(); slot++) {
            if (groups.get(slot).getGroupId().equals(id)) {
                return slot;
            }
        }
        return -1;
    }

    public RaftGroup group(int slot) {
        return groups.get(slot);
    }

    public List<RaftGroup> groups() {
        return List.copyOf(groups);
    }

    /**
     * The index (in the peer list) of the server that should lead this slot: the shards go round
     * the servers in order, and the directory comes after the last shard, so with 3 servers and
     * 6 shards each server leads two shards.
     */
    public int preferredLeader(int slot) {
        int rotation = slot == 0 ? shards : slot - 1;
        return rotation % peers.size();
    }

    /**
     * The peers of a group whose preferred leader is {@code preferred}: it gets priority 1, the
     * others 0. Equal priorities among the others matter: a Raft voter with a higher priority
     * refuses a candidate whose log is no longer than its own, so graded priorities would make a
     * failover wait for the next-highest survivor's own election time-out.
     */
    List<RaftPeer> raftPeers(int preferred) {
        List<RaftPeer> out = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            out.add(raftPeer(peers.get(i), i == preferred ? 1 : 0));
        }
        return out;
    }

    /** The same peers with {@code leader} given the top priority. */
    List<RaftPeer> raftPeersLedBy(String leader) {
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).id().equals(leader)) {
                return raftPeers(i);
            }
        }
        throw new IllegalArgumentException("server " + leader + " is not a peer of cluster " + clusterName);
    }

    static RaftPeer raftPeer(ClusterConfig.Peer p, int priority) {
        return RaftPeer.newBuilder()
                .setId(RaftPeerId.valueOf(p.id()))
                .setAddress(p.address())
                .setPriority(priority)
                .build();
    }

    private RaftGroupId groupId(int slot) {
        String key = "troupe-cluster/" + clusterName + "/" + groupName(slot);
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)));
    }
}
