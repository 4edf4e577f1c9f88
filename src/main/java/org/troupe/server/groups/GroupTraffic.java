package org.troupe.server.groups;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a group's core has applied, counted for operators: messages sent into the group and
 * their payload octets, and members removed from its view by reason. Counted by the core's
 * single writer (one increment per applied command), read from any thread. Local to this copy
 * of the group: not part of its snapshot (a restarted server counts from zero, as Prometheus
 * counters do).
 */
public final class GroupTraffic {
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong payloadBytes = new AtomicLong();
    private final AtomicLong queryTimeouts = new AtomicLong();
    private final AtomicLong handOvers = new AtomicLong();
    private final AtomicLongArray removed = new AtomicLongArray(RemovalReason.values().length);

    void sent(long messages, long bytes) {
        messagesSent.addAndGet(messages);
        payloadBytes.addAndGet(bytes);
    }

    void countQueryTimeouts(int n) {
        if (n > 0) {
            queryTimeouts.addAndGet(n);
        }
    }

    void countHandOver() {
        handOvers.incrementAndGet();
    }

    /** Open queries closed because their time-out ran out. */
    public long queryTimeouts() {
        return queryTimeouts.get();
    }

    /** Views in which the sequencer moved (to a member, between members, or back to the server). */
    public long sequencerHandOvers() {
        return handOvers.get();
    }

    void countRemoval(RemovalReason reason) {
        removed.incrementAndGet(reason.ordinal());
    }

    /** Messages members sent that the group took (refused sends and retried duplicates not counted). */
    public long messagesSent() {
        return messagesSent.get();
    }

    /** The payload octets of those messages. */
    public long payloadBytes() {
        return payloadBytes.get();
    }

    /** Members removed from the view for this reason. */
    public long removed(RemovalReason reason) {
        return removed.get(reason.ordinal());
    }

    /** Every reason's count. */
    public Map<RemovalReason, Long> removedByReason() {
        Map<RemovalReason, Long> out = new EnumMap<>(RemovalReason.class);
        for (RemovalReason r : RemovalReason.values()) {
            out.put(r, removed(r));
        }
        return out;
    }
}
