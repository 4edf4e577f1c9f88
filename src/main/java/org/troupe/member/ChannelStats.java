package org.troupe.member;

import java.util.Map;
import java.util.HashMap;

/**
 * What a member's channel consumer received, per message type: events carrying a Message of
 * that type, and the share of order events (SequenceMessageLists) spent on ordering it (a list
 * of k orders counts 1/k for each). Views and other events are counted apart. For benchmarks and
 * operators: how many channel events a delivered message costs.
 */
public final class ChannelStats {
    private final Map<String, double[]> byType = new HashMap<>(); // type -> {message events, order events}
    private long otherEvents;

    /** A Message event of {@code type}. */
    public synchronized void message(String type) {
        byType.computeIfAbsent(type, k -> new double[2])[0]++;
    }

    /** An order event: its share for each message it orders. */
    public synchronized void order(String[] types) {
        double share = 1.0 / types.length;
        for (String t : types) {
            byType.computeIfAbsent(t, k -> new double[2])[1] += share;
        }
    }

    /** Any other event (a view). */
    public synchronized void other() {
        otherEvents++;
    }

    /** Events spent on messages of {@code type}: Message events plus their share of order events. */
    public synchronized double events(String type) {
        double[] c = byType.get(type);
        return c == null ? 0 : c[0] + c[1];
    }

    /** Message events of {@code type}. */
    public synchronized long messageEvents(String type) {
        double[] c = byType.get(type);
        return c == null ? 0 : (long) c[0];
    }

    /** Events that carried neither a Message nor an order (views). */
    public synchronized long otherEvents() {
        return otherEvents;
    }

    @Override
    public synchronized String toString() {
        StringBuilder b = new StringBuilder();
        byType.forEach((t, c) -> b.append(t).append(": ").append((long) c[0]).append(" message events + ")
                .append(String.format("%.1f", c[1])).append(" order events; "));
        return b.append(otherEvents).append(" other").toString();
    }
}
