package org.troupe.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.troupe.trace.HopTrace;
import org.troupe.trace.HopTrace.Hop;

/**
 * Where one message's time goes, hop by hop, from the {@link HopTrace} stamps of every process of
 * a {@code bench latency --hops} run. The sender's {@link Hop#SEND} stamps cut time into windows,
 * one per message (one message is in flight at a time); in each window every stamp is taken
 * relative to the send. For each process group (the server, the sender, the other members) and
 * each hop, a line gives the median over the measured messages of when the hop was first reached
 * and when it was last reached: for the other members, first by the quickest member and last by
 * the slowest, so the last column of {@link Hop#DELIVERED} is the message's latency.
 */
final class HopReport {
    private HopReport() {
    }

    /** One process's stamps, by name: "server", "member-3"... */
    record Process(String name, HopTrace.Stamps stamps) {
    }

    /**
     * The report's lines for one kind: its messages are the sender's SEND stamps
     * {@code [from + warmup, from + total)}: {@code from + warmup} is the place of the kind's first
     * measured message among everything the sender sent (every kind's warm-up comes first).
     */
    static List<String> lines(String kind, List<Process> processes, String sender, int from, int warmup, int total) {
        long[] sends = null;
        for (Process p : processes) {
            if (p.name().equals(sender)) {
                sends = times(p.stamps(), Hop.SEND);
            }
        }
        if (sends == null || sends.length < from + total) {
            return List.of("hops kind=" + kind + " no stamps from the sender (" + (sends == null ? 0 : sends.length)
                    + " sends stamped, " + (from + total) + " expected)");
        }
        int first = from + warmup;
        int last = from + total - 1; // the last message of a kind has no next send to close its window
        int windows = last - first;
        if (windows < 1) {
            return List.of("hops kind=" + kind + " too few measured messages");
        }
        Map<String, Map<Hop, long[]>> index = new java.util.HashMap<>();
        for (Process p : processes) {
            index.put(p.name(), byHop(p));
        }
        List<String[]> groups = List.of(new String[] {"server"}, new String[] {sender}, others(processes, sender));
        String[] groupNames = {"server", "sender", "members"};
        List<Row> rows = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Process> in = new ArrayList<>();
            for (Process p : processes) {
                if (Arrays.asList(groups.get(g)).contains(p.name())) {
                    in.add(p);
                }
            }
            if (in.isEmpty()) {
                continue;
            }
            for (Hop hop : Hop.values()) {
                long[] earliest = new long[windows];
                long[] latest = new long[windows];
                int seen = 0;
                long stampsSeen = 0;
                for (int w = 0; w < windows; w++) {
                    long start = sends[first + w];
                    long end = sends[first + w + 1];
                    long lo = Long.MAX_VALUE;
                    long hi = Long.MIN_VALUE;
                    boolean all = true;
                    for (Process p : in) {
                        long[] t = index.get(p.name()).get(hop);
                        int a = lowerBound(t, start);
                        int b = lowerBound(t, end);
                        if (b <= a) {
                            all = false;
                            continue;
                        }
                        stampsSeen += b - a;
                        // one process: its first and last stamp; several: the quickest's first, the slowest's first
                        lo = Math.min(lo, t[a] - start);
                        hi = Math.max(hi, (in.size() == 1 ? t[b - 1] : t[a]) - start);
                    }
                    if (all && lo != Long.MAX_VALUE) {
                        earliest[seen] = lo;
                        latest[seen] = hi;
                        seen++;
                    }
                }
                if (seen * 2 < windows) { // not a hop of this kind's path in this process group
                    continue;
                }
                rows.add(new Row(groupNames[g], hop, median(earliest, seen), median(latest, seen),
                        (double) stampsSeen / windows / in.size()));
            }
        }
        rows.sort((x, y) -> Long.compare(x.first(), y.first()));
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(String.format(Locale.ROOT, "hop kind=%s where=%s at=%s first_p50_us=%.1f last_p50_us=%.1f "
                    + "stamps_per_msg=%.1f  # %s", kind, r.where(), r.hop().name().toLowerCase(Locale.ROOT),
                    r.first() / 1000.0, r.last() / 1000.0, r.perMessage(), r.hop().label()));
        }
        return out;
    }

    private record Row(String where, Hop hop, long first, long last, double perMessage) {
    }

    private static String[] others(List<Process> processes, String sender) {
        List<String> names = new ArrayList<>();
        for (Process p : processes) {
            if (!p.name().equals("server") && !p.name().equals(sender)) {
                names.add(p.name());
            }
        }
        return names.toArray(new String[0]);
    }

    private static Map<Hop, long[]> byHop(Process p) {
        Map<Hop, long[]> m = new EnumMap<>(Hop.class);
        for (Hop h : Hop.values()) {
            m.put(h, times(p.stamps(), h));
        }
        return m;
    }

    /** The times of {@code hop}'s stamps, sorted. */
    static long[] times(HopTrace.Stamps s, Hop hop) {
        int n = 0;
        for (Hop h : s.hops()) {
            if (h == hop) {
                n++;
            }
        }
        long[] t = new long[n];
        int i = 0;
        for (int k = 0; k < s.hops().length; k++) {
            if (s.hops()[k] == hop) {
                t[i++] = s.times()[k];
            }
        }
        Arrays.sort(t);
        return t;
    }

    /** The first index of {@code sorted} whose value is at least {@code v}. */
    static int lowerBound(long[] sorted, long v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long median(long[] values, int n) {
        long[] s = Arrays.copyOf(values, n);
        Arrays.sort(s);
        return s[n / 2];
    }
}
