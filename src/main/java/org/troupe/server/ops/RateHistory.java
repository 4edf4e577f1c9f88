package org.troupe.server.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.troupe.server.groups.GroupStatus;

/**
 * The last minutes of each group's message counters, sampled at a fixed period, from which the
 * console draws message rates: per group at most {@link #SAMPLES} samples (the oldest goes), and
 * a group that is gone is forgotten at the next sample. Thread-safe.
 */
final class RateHistory {
    /** Samples kept per group: five minutes at the console's period of two seconds. */
    static final int SAMPLES = 150;

    /** One sample: when (wall clock), and the group's totals then. */
    record Sample(long epochMillis, long sent, long sequenced) {
    }

    private final Map<String, ArrayDeque<Sample>> byGroup = new LinkedHashMap<>();

    /** Takes one sample of every group. */
    synchronized void sample(List<GroupStatus> groups, long epochMillis) {
        Set<String> seen = new HashSet<>();
        for (GroupStatus g : groups) {
            seen.add(g.name());
            ArrayDeque<Sample> q = byGroup.computeIfAbsent(g.name(), n -> new ArrayDeque<>(SAMPLES));
            if (q.size() == SAMPLES) {
                q.removeFirst();
            }
            q.addLast(new Sample(epochMillis, g.messagesSent(), g.messagesSequenced()));
        }
        byGroup.keySet().retainAll(seen);
    }

    /** Every group's samples, oldest first. */
    synchronized Map<String, List<Sample>> snapshot() {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        byGroup.forEach((g, q) -> out.put(g, new ArrayList<>(q)));
        return out;
    }
}
