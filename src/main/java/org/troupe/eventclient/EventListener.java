package org.troupe.eventclient;

import org.omg.CORBA.Any;

/** Receives a channel's events, one at a time, in the order the channel sent them. */
@FunctionalInterface
public interface EventListener {
    void onEvent(Any event);

    /** The channel disconnected this consumer (channel destroyed, queue overflow ...). */
    default void onDisconnected() {
    }
}
