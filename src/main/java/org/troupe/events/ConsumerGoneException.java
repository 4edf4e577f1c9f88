package org.troupe.events;

/** Raised by an {@link EventSink} when its consumer is dead, stopped or says it disconnected. */
public final class ConsumerGoneException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConsumerGoneException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
