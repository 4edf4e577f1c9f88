package org.troupe.member.stack;

/**
 * Thrown up the down path, to the sending application thread, when a message is refused (by a
 * layer or by the group) and the member stays in the group: nothing was sent, nothing is lost.
 */
public final class StackRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StackRefusal(String reason) {
        super(reason, null, false, false);
    }
}
