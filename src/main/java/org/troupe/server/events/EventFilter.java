package org.troupe.server.events;

import org.omg.CORBA.Any;

/**
 * Filtering at the source: what one consumer is sent of each event. It may pass the event on
 * as it is, replace it with a narrower one (a list event holding only the entries for this
 * consumer, in their order), or keep it from the consumer. It runs on the publisher's thread,
 * once per event and consumer: keep it cheap, and never change the event itself (other
 * consumers share it).
 */
@FunctionalInterface
public interface EventFilter {
    /** Returns {@code event}, a replacement for this consumer, or null to skip it. */
    Any apply(Any event);
}
