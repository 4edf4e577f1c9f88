package org.troupe.member;

/**
 * The group refused one message and nothing else happened: the member is still in the group and
 * nothing was sent. The message says why (a response to a query that is closed, timed out or
 * full; answering twice; a turn out of turn; a type this member's role may not send).
 */
public final class RefusedException extends TroupeException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message);
    }
}
