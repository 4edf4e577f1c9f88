package org.troupe.member.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: watches how many messages each member process has printed, every few
 * milliseconds, on a thread of its own, and tells the longest pause between two deliveries
 * after a moment (a server killed). A figure to report, never a time to assert on: its precision
 * is the sampling period.
 */
final class DeliveryPauses implements AutoCloseable {
    private static final long PERIOD_MS = 5;

    private final List<Member> members;
    /** Per member, when its message count went up (nanoTime), in order. */
    private final Map<Member, List<Long>> arrivals = new LinkedHashMap<>();
    private final Thread sampler;
    private volatile boolean stopped;

    private DeliveryPauses(List<Member> members) {
        this.members = List.copyOf(members);
        for (Member m : members) {
            arrivals.put(m, new ArrayList<>());
        }
        sampler = new Thread(this::sample, "delivery-pauses");
        sampler.setDaemon(true);
    }

    /** Starts watching these members. */
    static DeliveryPauses watch(List<Member> members) {
        DeliveryPauses p = new DeliveryPauses(members);
        p.sampler.start();
        return p;
    }

    private void sample() {
        long[] counts = new long[members.size()];
        while (!stopped) {
            long now = System.nanoTime();
            for (int i = 0; i < counts.length; i++) {
                Member m = members.get(i);
                long c = m.messageCount();
                if (c > counts[i]) {
                    counts[i] = c;
                    synchronized (arrivals) {
                        arrivals.get(m).add(now);
                    }
                }
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One member's pause: the longest gap between deliveries that ends after {@code since}, and when the first came. */
    record Pause(Member member, long gapMillis, long firstAfterMillis) {
        @Override
        public String toString() {
            return member.name() + "=" + gapMillis + "ms(first " + firstAfterMillis + "ms after)";
        }
    }

    /**
     * For each member, the longest gap between two deliveries where the later one came after
     * {@code sinceNanos}, and how long after {@code sinceNanos} its first delivery came (-1: none).
     */
    List<Pause> after(long sinceNanos) {
        List<Pause> out = new ArrayList<>();
        synchronized (arrivals) {
            for (Map.Entry<Member, List<Long>> e : arrivals.entrySet()) {
                List<Long> t = e.getValue();
                long gap = 0;
                long first = -1;
                for (int i = 1; i < t.size(); i++) {
                    if (t.get(i) > sinceNanos) {
                        gap = Math.max(gap, t.get(i) - t.get(i - 1));
                        if (first < 0) {
                            first = t.get(i) - sinceNanos;
                        }
                    }
                }
                out.add(new Pause(e.getKey(), TimeUnit.NANOSECONDS.toMillis(gap),
                        first < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first)));
            }
        }
        return out;
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
    }
}
