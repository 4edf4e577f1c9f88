package org.troupe.server.cluster;

/**
 * Told when a Raft group's leader changes as this server sees it (another server elected, this
 * server ready to lead, this server stepping down). Called on the node's event thread, one call
 * at a time, in the order the changes were seen; must not block.
 */
@FunctionalInterface
public interface LeadershipListener {
    void leadershipChanged(RaftGroupStatus status);
}
