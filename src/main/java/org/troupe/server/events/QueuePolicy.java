package org.troupe.server.events;

import java.util.Locale;

/**
 * What a channel does when an event arrives for a consumer whose queue is full.
 *
 * <p>Whatever the policy, the supplier is never blocked by that consumer, and the other
 * consumers are not affected.
 */
public enum QueuePolicy {
    /**
     * The consumer is disconnected at once: its queue is discarded, the loss is logged and
     * counted, and it is told through {@code disconnect_push_consumer} /
     * {@code disconnect_pull_consumer}. A consumer thus either gets every event in order or
     * knows it was cut off. The default.
     */
    DISCONNECT,
    /** The oldest queued events make room for the new ones; the dropped events are counted. */
    DROP_OLDEST,
    /** The new events are not queued for this consumer; they are counted as dropped. */
    DROP_NEWEST;

    /** Parses {@code disconnect}, {@code drop-oldest} or {@code drop-newest} (any case). */
    public static QueuePolicy parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (QueuePolicy p : values()) {
            if (p.name().equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown queue policy '" + text
                + "' (expected disconnect, drop-oldest or drop-newest)");
    }

    /** The command-line spelling, e.g. {@code drop-oldest}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
