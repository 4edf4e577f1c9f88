package org.troupe.member.model;

import java.util.HashMap;
import java.util.Map;

/**
 * What a member's channel consumer received, per message type: the share of message events
 * (a Message, or a MessageList of k Messages counting 1/k for each) carrying it, and the share
 * of order events (SequenceMessageLists) spent on ordering it (likewise 1/k each). Views and
 * other events are counted apart. For benchmarks and operators: how many channel events a
 * delivered message costs.
 */
public final class ChannelStats {
    // type -> {share of message events, share of order events, message events carrying it}
    private final Map<String, double[]> byType = new HashMap<>();
    private long otherEvents;

    /** A Message event of {@code type}. */
    public synchronized void message(String type) {
        double[] c = byType.computeIfAbsent(type, k -> new double[3]);
        c[0]++;
        c[2]++;
    }

    /** An event carrying Messages of these types (a MessageList, or one Message): its share for each. */
    public synchronized void messages(String[] types) {
        java.util.Set<double[]> carried = new java.util.HashSet<>(4);
        share(types, 0, carried);
        for (double[] c : carried) {
            c[2]++;
        }
    }

    /** An order event: its share for each message it orders. */
    public synchronized void order(String[] types) {
        share(types, 1, null);
    }

    /** Adds 1/k to counter {@code slot} of each of the k types (one map look-up per run of equal types). */
    private void share(String[] types, int slot, java.util.Set<double[]> carried) {
        double share = 1.0 / types.length;
        int i = 0;
        while (i < types.length) {
            String t = types[i];
            int j = i + 1;
            while (j < types.length && t.equals(types[j])) {
                j++;
            }
            double[] c = byType.computeIfAbsent(t, k -> new double[3]);
            c[slot] += share * (j - i);
            if (carried != null) {
                carried.add(c);
            }
            i = j;
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

    /** Message events (Messages or MessageLists) that carried at least one Message of {@code type}. */
    public synchronized long messageEvents(String type) {
        double[] c = byType.get(type);
        return c == null ? 0 : (long) c[2];
    }

    /** Events that carried neither a Message nor an order (views). */
    public synchronized long otherEvents() {
        return otherEvents;
    }

    @Override
    public synchronized String toString() {
        StringBuilder b = new StringBuilder();
        byType.forEach((t, c) -> b.append(t).append(": ").append(String.format("%.1f", c[0])).append(" message events + ")
                .append(String.format("%.1f", c[1])).append(" order events; "));
        return b.append(otherEvents).append(" other").toString();
    }
}
