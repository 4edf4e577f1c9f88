package org.troupe.member.stack;

/**
 * Thrown up to a layer from the bottom of the stack when a call did not reach the server, or the
 * server did not answer it, retries included. It may be passing: the heartbeat layer decides when
 * it has lasted too long. {@code kind} names the transport's error (such as TRANSIENT); the
 * message is the reason, for people.
 */
public final class ServerUnreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String kind;

    public ServerUnreachable(String kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    /** The transport's name for the error (such as TRANSIENT or COMM_FAILURE). */
    public String kind() {
        return kind;
    }
}
