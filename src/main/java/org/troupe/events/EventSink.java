package org.troupe.events;

import org.omg.CORBA.Any;

/** Where a push dispatcher hands a consumer's events: one remote consumer, batched or not. */
public interface EventSink {
    /**
     * Delivers {@code events[0..n)} in order; returns when the consumer has accepted them.
     *
     * @throws ConsumerGoneException the consumer is dead, stopped past the reply time-out, or
     *     raised {@code Disconnected}: it must be disconnected
     */
    void deliver(Any[] events, int n) throws ConsumerGoneException;
}
