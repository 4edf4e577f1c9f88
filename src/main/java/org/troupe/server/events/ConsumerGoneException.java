package org.troupe.server.events;

/** Raised by an {@link EventSink} when its consumer is dead, stopped or says it disconnected. */
public final class ConsumerGoneException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean tellWhenReachable;

    /**
     * @param tellWhenReachable true if the consumer may answer again later (a call that outlived
     *     the reply time-out, or could not reach it) and should then be told it was disconnected;
     *     false if it is gone for good or said itself that it disconnected
     */
    public ConsumerGoneException(String reason, Throwable cause, boolean tellWhenReachable) {
        super(reason, cause);
        this.tellWhenReachable = tellWhenReachable;
    }

    /** True if the consumer should be told it was disconnected, once it answers. */
    public boolean tellWhenReachable() {
        return tellWhenReachable;
    }
}
