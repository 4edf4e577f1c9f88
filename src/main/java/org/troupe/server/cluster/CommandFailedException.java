package org.troupe.server.cluster;

/**
 * A replicated state's {@link ReplicatedState#apply} threw for this command (on every server
 * alike, since apply is deterministic). The command is in the log; it changed nothing the state
 * did not change before throwing.
 */
public final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public CommandFailedException(String message) {
        super(message);
    }
}
