package org.troupe.server.ops;

import java.util.List;
import org.troupe.server.cluster.RaftGroupStatus;
import org.troupe.server.events.ChannelStatus;
import org.troupe.server.groups.GroupStatus;

/**
 * What the operations endpoint and the metrics read from a server, each call a fresh snapshot
 * taken off the message path.
 */
public interface OpsSource {
    /** Every group this server holds. */
    List<GroupStatus> groups();

    /** Every event channel, groups' channels included. */
    List<ChannelStatus> channels();

    /** In a cluster, every Raft group as this server sees it; empty on a server on its own. */
    List<RaftGroupStatus> raftGroups();

    /** Null if the server is ready to serve, else why not, in one line. */
    String notReadyReason();
}
