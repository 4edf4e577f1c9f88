package org.troupe.server.events;

import org.omg.CORBA.Any;

/**
 * How much of a consumer's queue one event takes. A channel's queue capacity, flow watermark and
 * push batch limit are counted in weight: on an ordinary channel every event weighs 1, so they
 * are counts of events; on a group's channel an event that carries a list of messages (a
 * {@code MessageList}) weighs as many messages as it carries, so that batching messages into list
 * events does not let more messages pile up per consumer.
 */
@FunctionalInterface
public interface EventWeight {
    /** Every event weighs 1 (the standard channel). */
    EventWeight ONE = event -> 1;

    /**
     * An event whose value is held as a Java array (a sequence of structs read or built with a
     * registered codec, see {@link org.troupe.cdr.FastAny#struct()}) weighs its length (at least
     * 1); any other event weighs 1.
     */
    EventWeight LIST_LENGTH = event -> event instanceof org.troupe.cdr.FastAny f
            && f.struct() instanceof Object[] list ? Math.max(1, list.length) : 1;

    /** The weight of {@code event}: at least 1. */
    int of(Any event);
}
