package org.troupe.hosted;

/**
 * Where a server of a cluster finds what it needs to take over a hosted member whose server
 * died: the member's record in this server's copy of its group (every server applies every
 * group's commands, so every one holds it).
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

    /** Member {@code member} of {@code group} as this server's copy has it, or null (no copy, not a member). */
    Record find(String group, long member);

    /**
     * A current member: its name, role and secret join token, the id its next message must have,
     * the highest sequence id its client is known to have been given (-1: none recorded), and the
     * highest sequence id this copy of the group has applied.
     */
    record Record(String name, String role, String token, long nextMessageId, long deliveredTo,
            long lastSequenceId) {
    }
}
