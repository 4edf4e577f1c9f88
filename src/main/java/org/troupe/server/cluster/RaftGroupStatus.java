package org.troupe.server.cluster;

/**
 * One Raft group as this server sees it now.
 *
 * @param group {@code "directory"} or {@code "shard-N"}
 * @param raftGroupId the Raft group's UUID
 * @param leader the leader's server id, or null while none is known
 * @param term the current Raft term
 * @param commitIndex the highest log index this server knows is committed
 * @param appliedIndex the highest log index applied to this server's states
 * @param localLeader whether this server leads the group (and is ready to take commands)
 * @param preferredLeader the server with the top priority: the leader whenever it is up and caught up
 * @param queued commands this server holds for the group, not yet sent
 */
public record RaftGroupStatus(String group, String raftGroupId, String leader, long term, long commitIndex,
        long appliedIndex, boolean localLeader, String preferredLeader, int queued) {
}
