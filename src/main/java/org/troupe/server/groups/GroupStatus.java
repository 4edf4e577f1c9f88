package org.troupe.server.groups;

import java.util.ArrayList;
import java.util.List;
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
 * @param roles each role of the protocol with its bounds and its members in the view
 * @param recentViews the latest view changes this copy applied, oldest first (bounded)
 * @param health per member id, its health where the group is hosted; empty elsewhere
 */
public record GroupStatus(String name, String protocol, View view, long messagesSequenced, long viewsInstalled,
        long messagesSent, long payloadBytes, Map<RemovalReason, Long> removed, int openQueries, long queryTimeouts,
        long sequencerHandOvers, String leader, long term, List<RoleState> roles,
        List<ViewHistory.ViewChange> recentViews, Map<Long, MemberHealth> health) {
    public GroupStatus {
        removed = Map.copyOf(removed);
        roles = List.copyOf(roles);
        recentViews = List.copyOf(recentViews);
        health = Map.copyOf(health);
    }

    /** A group without roles' counts, view history or members' health. */
    public GroupStatus(String name, String protocol, View view, long messagesSequenced, long viewsInstalled,
            long messagesSent, long payloadBytes, Map<RemovalReason, Long> removed, int openQueries,
            long queryTimeouts, long sequencerHandOvers, String leader, long term) {
        this(name, protocol, view, messagesSequenced, viewsInstalled, messagesSent, payloadBytes, removed,
                openQueries, queryTimeouts, sequencerHandOvers, leader, term, List.of(), List.of(), Map.of());
    }

    /**
     * One role of the protocol in the current view: its bounds and how many members hold it.
     *
     * @param max the most members it admits ({@link org.troupe.protocol.RoleDef#UNBOUNDED}: no limit)
     */
    public record RoleState(String name, int min, int max, int members) {
        /** True if the role has at least its minimum. */
        public boolean met() {
            return members >= min;
        }
    }

    /**
     * One member's health as the server that hosts the group sees it.
     *
     * @param heartbeatAgeMillis since the member was last heard (a heartbeat, a send, an order)
     * @param queueDepth what its queue in the group's channel holds now (messages); -1 if it has no consumer here
     * @param queueCapacity that queue's capacity
     * @param keepingUp false if its queue is past the flow watermark and it took nothing for its stall time
     */
    public record MemberHealth(long heartbeatAgeMillis, int queueDepth, int queueCapacity, boolean keepingUp) {
    }

    /** The same status with the members' health (known only where the group is hosted). */
    public GroupStatus withHealth(Map<Long, MemberHealth> h) {
        return new GroupStatus(name, protocol, view, messagesSequenced, viewsInstalled, messagesSent, payloadBytes,
                removed, openQueries, queryTimeouts, sequencerHandOvers, leader, term, roles, recentViews, h);
    }

    /** Reads a core (call it where the core may be read: under its lock or on its apply thread). */
    public static GroupStatus of(GroupCore core, String leader, long term) {
        GroupTraffic t = core.traffic();
        List<RoleState> roles = new ArrayList<>();
        for (org.troupe.protocol.RoleDef r : core.protocol().roles()) {
            int n = 0;
            for (MemberInfo m : core.view().members()) {
                if (m.role().equals(r.name())) {
                    n++;
                }
            }
            roles.add(new RoleState(r.name(), r.min(), r.max(), n));
        }
        return new GroupStatus(core.name(), core.protocol().name(), core.view(), core.messagesSequenced(),
                core.viewsInstalled(), t.messagesSent(), t.payloadBytes(), t.removedByReason(), core.openQueries(),
                t.queryTimeouts(), t.sequencerHandOvers(), leader, term, roles, core.history().recent(), Map.of());
    }
}
