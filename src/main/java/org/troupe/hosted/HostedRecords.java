package org.troupe.hosted;

import java.util.List;

/**
 * Where a server of a cluster finds what it needs to take over a hosted member whose server
 * died: the member's record in this server's copy of its group (every server applies every
 * group's commands, so every one holds it), and the cluster's commands that record a client's
 * position and which server calls a push member's callback.
 */
public interface HostedRecords {
    /** A server on its own: nothing to take over. */
    HostedRecords NONE = (group, member) -> null;

    /**
     * Records through the cluster that the client of member {@code member} of {@code group} was
     * given everything up to {@code sequenceId} (waits for it); false if the group refused (the
     * member is out) or there is no cluster.
     *
     * @throws Exception the cluster did not answer in time
     */
    default boolean recordDelivered(String group, long member, String token, long sequenceId) throws Exception {
        return false;
    }

    /**
     * Records through the cluster that the callback of push member {@code member} returned from
     * every delivery up to {@code sequenceId}, called by the server of claim {@code pusher}; the
     * group accepts it only while that claim is the member's current one, and then it renews the
     * claim's lease (see {@link PushLease}). False if refused (another claim, or the member is out).
     *
     * @throws Exception the cluster did not answer in time
     */
    default boolean recordPushed(String group, long member, String token, long sequenceId, String pusher)
            throws Exception {
        return false;
    }

    /**
     * Claims push member {@code member}'s callback {@code callback} (a stringified IOR) for this
     * server, as claim {@code pusher}: unconditionally with {@code expectedVersion} -1, otherwise
     * only if its push record is still at that version. False if refused.
     *
     * @throws Exception the cluster did not answer in time
     */
    default boolean claimPusher(String group, long member, String token, String callback, String pusher,
            long expectedVersion) throws Exception {
        return false;
    }

    /** This server's id in its cluster ("" on its own). */
    default String serverId() {
        return "";
    }

    /** The {@code HOST:PORT} for IIOP of server {@code serverId} of the cluster, or null. */
    default String addressOf(String serverId) {
        return null;
    }

    /** The groups this server leads now (it hosts their managers). */
    default List<String> ledGroups() {
        return List.of();
    }

    /** The push members of {@code group} in this server's copy (ids). */
    default List<Long> pushMembers(String group) {
        return List.of();
    }

    /**
     * Waits until this server's copy of {@code group} holds every command committed before its
     * leader's current term, so that {@link #find} sees every message the member sent and was
     * answered for, whichever server answered it (a copy read just after a fail-over can be behind:
     * the member's next message id would then repeat one already used, and that message would be
     * dropped as a repeat).
     *
     * @throws Exception not caught up in time
     */
    default void awaitCaughtUp(String group) throws Exception {
    }

    /** Member {@code member} of {@code group} as this server's copy has it, or null (no copy, not a member). */
    Record find(String group, long member);

    /**
     * A current member: its name, role and secret join token, the id its next message must have,
     * the highest sequence id its client is known to have been given (-1: none recorded), the
     * highest sequence id this copy of the group has applied; for a push member its callback (a
     * stringified IOR; "" for a pull member), the claim of the server that calls it and the
     * version of that record (-1: none).
     */
    record Record(String name, String role, String token, long nextMessageId, long deliveredTo,
            long lastSequenceId, String callback, String pusher, long pushVersion) {
        public Record {
            callback = callback == null ? "" : callback;
            pusher = pusher == null ? "" : pusher;
        }

        /** A pull member's record. */
        public Record(String name, String role, String token, long nextMessageId, long deliveredTo,
                long lastSequenceId) {
            this(name, role, token, nextMessageId, deliveredTo, lastSequenceId, "", "", -1);
        }

        /** True for a push member (its callback is recorded). */
        public boolean isPush() {
            return !callback.isEmpty();
        }

        /** Without the token. */
        @Override
        public String toString() {
            return "Record[" + name + " (" + role + "), deliveredTo=" + deliveredTo + (isPush() ? ", pusher=" + pusher
                    + ", version=" + pushVersion : "") + "]";
        }
    }
}
