package org.troupe.server.groups;

import java.util.Map;

/**
 * One group as an operator sees it now, read from its core in one go.
 *
 * @param name the group's name
 * @param protocol its application protocol's name
 * @param view the current view (members with id, name and role; complete; sequencer holder, 0: the server)
 * @param messagesSequenced messages given a place in the total order
 * @param viewsInstalled views installed so far
 * @param messagesSent messages the group took from its members
 * @param payloadBytes their payload octets
 * @param removed members removed from the view, by reason
 * @param openQueries queries waiting for their responses now
 * @param queryTimeouts queries closed because their time-out ran out
 * @param sequencerHandOvers views in which the sequencer moved
 * @param leader in a cluster, the server leading the group's shard ("" while unknown); null on one server
 * @param term in a cluster, the shard's Raft term; 0 on one server
 */
public record GroupStatus(String name, String protocol, View view, long messagesSequenced, long viewsInstalled,
        long messagesSent, long payloadBytes, Map<RemovalReason, Long> removed, int openQueries, long queryTimeouts,
        long sequencerHandOvers, String leader, long term) {
    public GroupStatus {
        removed = Map.copyOf(removed);
    }

    /** Reads a core (call it where the core may be read: under its lock or on its apply thread). */
    public static GroupStatus of(GroupCore core, String leader, long term) {
        GroupTraffic t = core.traffic();
        return new GroupStatus(core.name(), core.protocol().name(), core.view(), core.messagesSequenced(),
                core.viewsInstalled(), t.messagesSent(), t.payloadBytes(), t.removedByReason(), core.openQueries(),
                t.queryTimeouts(), t.sequencerHandOvers(), leader, term);
    }
}
