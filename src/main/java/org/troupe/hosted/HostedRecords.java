package org.troupe.hosted;

/**
 * Where a server of a cluster finds what it needs to take over a hosted member whose server
 * died: the member's record in this server's copy of its group (every server applies every
 * group's commands, so every one holds it).
 */
@FunctionalInterface
public interface HostedRecords {
    /** A server on its own: nothing to take over. */
    HostedRecords NONE = (group, member) -> null;

    /** Member {@code member} of {@code group} as this server's copy has it, or null (no copy, not a member). */
    Record find(String group, long member);

    /**
     * A current member: its name, role and secret join token, the id its next message must have,
     * and the highest sequence id this copy of the group has applied.
     */
    record Record(String name, String role, String token, long nextMessageId, long lastSequenceId) {
    }
}
