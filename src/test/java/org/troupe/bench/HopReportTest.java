package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.trace.HopTrace;
import org.troupe.trace.HopTrace.Hop;

@Tag("unit")
class HopReportTest {
    private static final long US = 1000;

    /** Stamps: {@code hop} at {@code offsetsUs[k]} after message k's send (message k sent at k ms). */
    private static HopTrace.Stamps stamps(Object... hopAndOffsets) {
        List<Hop> hops = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < hopAndOffsets.length; i += 2) {
            Hop h = (Hop) hopAndOffsets[i];
            long[] offsets = (long[]) hopAndOffsets[i + 1];
            for (int k = 0; k < offsets.length; k++) {
                hops.add(h);
                times.add(k * 1000 * US + offsets[k] * US);
            }
        }
        long[] t = times.stream().mapToLong(Long::longValue).toArray();
        return new HopTrace.Stamps(hops.toArray(new Hop[0]), t);
    }

    private static long[] each(int n, long us) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, us);
        return a;
    }

    @Test
    void eachHopIsTimedFromItsMessagesSendQuickestAndSlowestMember() {
        int n = 12; // 2 warm-up, 10 measured (9 full windows)
        List<HopReport.Process> p = List.of(
                new HopReport.Process("member-2", stamps(Hop.SEND, each(n, 0), Hop.SEND_CALL, each(n, 30),
                        Hop.DELIVERED, each(n, 400))),
                new HopReport.Process("server", stamps(Hop.SERVER_ENTER, each(n, 100), Hop.PUSH_START, each(n, 120),
                        Hop.PUSH_START, each(n, 220))),
                new HopReport.Process("member-0", stamps(Hop.DELIVERED, each(n, 300))),
                new HopReport.Process("member-1", stamps(Hop.DELIVERED, each(n, 500))));
        List<String> lines = HopReport.lines("sequenced", p, "member-2", 0, 2, n);
        assertEquals("hop kind=sequenced where=sender at=send first_p50_us=0.0 last_p50_us=0.0 stamps_per_msg=1.0  "
                + "# app send", lines.get(0));
        assertTrue(lines.contains("hop kind=sequenced where=server at=push_start first_p50_us=120.0 "
                + "last_p50_us=220.0 stamps_per_msg=2.0  # push call starts"), lines.toString());
        assertTrue(lines.contains("hop kind=sequenced where=members at=delivered first_p50_us=300.0 "
                + "last_p50_us=500.0 stamps_per_msg=1.0  # app delivered"), lines.toString());
        assertTrue(lines.indexOf(lines.stream().filter(l -> l.contains("at=server_enter")).findFirst().orElseThrow())
                < lines.indexOf(lines.stream().filter(l -> l.contains("at=push_start")).findFirst().orElseThrow()),
                "in path order: by when the hop is first reached");
    }

    @Test
    void aSecondKindsMessagesFollowTheFirstsAndMissingSendsAreSaid() {
        int n = 6;
        List<HopReport.Process> p = List.of(
                new HopReport.Process("member-1", stamps(Hop.SEND, each(2 * n, 0), Hop.DELIVERED,
                        concat(each(n, 700), each(n, 200)))),
                new HopReport.Process("server", stamps(Hop.SERVER_ENTER, each(2 * n, 50))));
        List<String> reactive = HopReport.lines("reactive", p, "member-1", n, 1, n);
        assertTrue(reactive.stream().anyMatch(l -> l.contains("where=sender at=delivered first_p50_us=200.0")),
                reactive.toString());
        assertTrue(HopReport.lines("sequenced", p, "member-9", 0, 1, n).get(0).contains("no stamps from the sender"));
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
