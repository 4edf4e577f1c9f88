package org.troupe.server.ops;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.troupe.server.cluster.ClusterNode;
import org.troupe.server.cluster.RaftGroupStatus;
import org.troupe.server.events.ChannelStatus;
import org.troupe.server.events.corba.ChannelDirectory;
import org.troupe.server.groups.GroupStatus;
import org.troupe.server.groups.corba.GroupDirectory;

/**
 * A running server's state for operators: its group directory, its channel directory and, in a
 * cluster, its node. Ready once the ORB serves and, in a cluster, every Raft group has a leader.
 */
public final class ServerOpsSource implements OpsSource {
    private final GroupDirectory groups;
    private final ChannelDirectory channels;
    private final Supplier<ClusterNode> cluster;
    private final BooleanSupplier serving;

    /**
     * @param cluster the server's cluster node, or null on its own
     * @param serving true while the ORB serves requests
     */
    public ServerOpsSource(GroupDirectory groups, ChannelDirectory channels, Supplier<ClusterNode> cluster,
            BooleanSupplier serving) {
        this.groups = groups;
        this.channels = channels;
        this.cluster = cluster;
        this.serving = serving;
    }

    @Override
    public List<GroupStatus> groups() {
        return groups.status();
    }

    @Override
    public List<ChannelStatus> channels() {
        return channels.status();
    }

    @Override
    public List<RaftGroupStatus> raftGroups() {
        ClusterNode n = cluster.get();
        return n == null ? List.of() : n.status();
    }

    @Override
    public String notReadyReason() {
        if (!serving.getAsBoolean()) {
            return "the ORB does not serve requests (starting or stopping)";
        }
        for (RaftGroupStatus r : raftGroups()) {
            if (r.leader() == null) {
                return "Raft group " + r.group() + " has no leader yet";
            }
        }
        return null;
    }
}
