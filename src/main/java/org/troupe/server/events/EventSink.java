package org.troupe.server.events;

import org.omg.CORBA.Any;

/**
 * Where a push dispatcher hands a consumer's events: one remote consumer, batched or not. The
 * dispatcher makes one call per {@link #eventsPerCall()} events and checks, before each call,
 * that the consumer is still connected.
 */
public interface EventSink {
    /** The most events one call carries: 1 for the standard {@code push}, more for a batch call. */
    int eventsPerCall();

    /**
     * Makes one push call with {@code events[from..from+n)}, in order.
     *
     * @return true if the call returned normally (the events are delivered); false if the
     *     consumer's own push raised an error that does not mean it is gone (the events are lost)
     * @throws ConsumerGoneException the consumer is dead, stopped past the reply time-out, or
     *     raised {@code Disconnected}: it must be disconnected
     */
    boolean push(Any[] events, int from, int n) throws ConsumerGoneException;
}
