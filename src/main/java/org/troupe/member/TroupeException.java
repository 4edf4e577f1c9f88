package org.troupe.member;

/**
 * A Troupe call failed for a reason the caller can act on; the message says which (unknown group
 * or role, role full, name taken, type not allowed, payload too large, not a member ...).
 */
public class TroupeException extends Exception {
    private static final long serialVersionUID = 1L;

    public TroupeException(String message) {
        super(message);
    }

    public TroupeException(String message, Throwable cause) {
        super(message, cause);
    }
}
