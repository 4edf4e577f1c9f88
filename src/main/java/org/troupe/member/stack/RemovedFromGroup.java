package org.troupe.member.stack;

/**
 * Thrown up to a layer from the bottom of the stack when the server says this member is not in
 * the group any more (it was removed, or it has left). The message is the reason, for people.
 */
public final class RemovedFromGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RemovedFromGroup(String reason) {
        super(reason, null, false, false);
    }
}
