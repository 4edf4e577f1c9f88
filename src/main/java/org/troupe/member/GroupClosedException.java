package org.troupe.member;

/** The group handle is closed (left, removed, or the server went away); the reason says which. */
public class GroupClosedException extends TroupeException {
    private static final long serialVersionUID = 1L;

    public GroupClosedException(String reason) {
        super(reason);
    }
}
