package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code bench failover}'s figures from hand-made delivery logs: the pause around each kill, and
 * what was lost, duplicated or reordered (no process is started).
 */
@Tag("unit")
class FailoverAnalysisTest {
    /** A log of deliveries given as (sender, k, micros) triples. */
    private static DeliveryLog.Record log(long... triples) {
        int n = triples.length / 3;
        int[] s = new int[n];
        long[] k = new long[n];
        long[] seq = new long[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = (int) triples[3 * i];
            k[i] = triples[3 * i + 1];
            seq[i] = i + 1;
            t[i] = triples[3 * i + 2];
        }
        return new DeliveryLog.Record(0, "", s, k, seq, t);
    }

    /** Two senders, two messages each, every 100 us; a kill at 250 us delays the rest by 900 us. */
    private static DeliveryLog.Record good(long shift) {
        return log(0, 0, 100 + shift, 1, 0, 200 + shift, 0, 1, 1_200 + shift, 1, 1, 1_300 + shift);
    }

    @Test
    void aCleanRunHasNothingLostDuplicatedOrReorderedAndItsPausesSpanTheKill() {
        FailoverBench.Result r = FailoverBench.analyse(3, 1, new long[] {2, 2}, new long[] {250}, 2_000,
                List.of(good(0), good(30)));
        assertEquals(0, r.lost());
        assertEquals(0, r.duplicated());
        assertEquals(0, r.reordered());
        assertNull(r.problem());
        assertTrue(r.ok());
        // each member's longest gap in [250, 2000): 200 -> 1200 = 1000 us; reported in whole ms
        assertArrayEquals(new long[] {1_000, 1_000},
                FailoverBench.pauses(new long[] {250}, 2_000, List.of(good(0), good(30)))[0]);
        assertEquals("troupe bench=failover servers=3 members=2 kills=1 pause_p50_ms=1 pause_p99_ms=1 pause_max_ms=1 "
                + "lost=0 duplicated=0 reordered=0", r.line());
    }

    @Test
    void eachKillsWindowEndsAtTheNextKill() {
        // gaps: 1000 us around the first kill (at 150), 3000 us around the second (at 2500)
        DeliveryLog.Record m = log(0, 0, 100, 0, 1, 1_100, 0, 2, 1_200, 0, 3, 4_200, 0, 4, 4_300);
        long[][] p = FailoverBench.pauses(new long[] {150, 2_500}, 5_000, List.of(m));
        assertEquals(1_000, p[0][0]);
        assertEquals(3_000, p[1][0]);
    }

    @Test
    void aMemberThatDeliversNothingAfterAKillPausesUntilTheWindowEnds() {
        DeliveryLog.Record m = log(0, 0, 100, 0, 1, 200);
        assertEquals(4_800, FailoverBench.pauses(new long[] {1_000}, 5_000, List.of(m))[0][0]);
    }

    @Test
    void aDuplicateALossAndAReorderingAreEachCounted() {
        long[] sent = {2, 2};
        DeliveryLog.Record twice = log(0, 0, 100, 1, 0, 200, 1, 0, 250, 0, 1, 1_200, 1, 1, 1_300);
        FailoverBench.Result dup = FailoverBench.analyse(3, 1, sent, new long[] {250}, 2_000, List.of(good(0), twice));
        assertEquals(1, dup.duplicated());
        assertEquals(0, dup.lost());
        assertEquals(0, dup.reordered());
        assertFalse(dup.ok());

        DeliveryLog.Record missing = log(0, 0, 100, 1, 0, 200, 1, 1, 1_300);
        FailoverBench.Result lost = FailoverBench.analyse(3, 1, sent, new long[] {250}, 2_000, List.of(good(0), missing));
        assertEquals(1, lost.lost());
        assertEquals(0, lost.duplicated());
        assertEquals(0, lost.reordered());

        // sender 0's second message before its first: out of FIFO order, and another total order
        DeliveryLog.Record fifo = log(0, 1, 100, 1, 0, 200, 0, 0, 1_200, 1, 1, 1_300);
        FailoverBench.Result reordered = FailoverBench.analyse(3, 1, sent, new long[] {250}, 2_000,
                List.of(good(0), fifo));
        assertTrue(reordered.reordered() >= 1, reordered::line);
        assertEquals(0, reordered.lost());
        assertEquals(0, reordered.duplicated());
    }

    @Test
    void anotherTotalOrderIsReorderedEvenWhenEachSendersOrderHolds() {
        // member 1 delivers sender 1's first message before sender 0's: FIFO holds, total order differs
        DeliveryLog.Record swapped = log(1, 0, 100, 0, 0, 200, 0, 1, 1_200, 1, 1, 1_300);
        FailoverBench.Result r = FailoverBench.analyse(3, 1, new long[] {2, 2}, new long[] {250}, 2_000,
                List.of(good(0), swapped));
        assertEquals(2, r.reordered());
        assertEquals(0, r.lost());
    }

    @Test
    void aMemberRemovedFromTheViewIsAProblem() {
        DeliveryLog.Record removed = new DeliveryLog.Record(1, "", good(0).senders(), good(0).numbers(),
                good(0).sequenceIds(), good(0).micros());
        FailoverBench.Result r = FailoverBench.analyse(3, 1, new long[] {2, 2}, new long[] {250}, 2_000,
                List.of(good(0), removed));
        assertFalse(r.ok());
        assertTrue(r.problem().contains("out of the view"), r.problem());
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> values = new ArrayList<>();
        for (long v = 1; v <= 40; v++) {
            values.add(v);
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        assertEquals(20, FailoverBench.percentile(sorted, 0.50));
        assertEquals(40, FailoverBench.percentile(sorted, 0.99));
        assertEquals(0, FailoverBench.percentile(new long[0], 0.99));
    }

    @Test
    void aDeliveryLogWaitsForWhatWasSentAndReadsBackAsWritten() throws Exception {
        DeliveryLog l = new DeliveryLog();
        l.delivered(0, 0, 1, 100);
        l.delivered(1, 0, 2, 200);
        l.viewChanged(0);
        long start = System.nanoTime();
        l.awaitAll(new long[] {1, 1}, 10_000); // everything is in: returns at once
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
        java.nio.file.Path f = java.nio.file.Files.createTempFile("delivery-log", ".bin");
        try {
            l.write(f);
            DeliveryLog.Record r = DeliveryLog.Record.read(f);
            assertArrayEquals(new int[] {0, 1}, r.senders());
            assertArrayEquals(new long[] {100, 200}, r.micros());
            assertEquals("", r.closed());
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }
}
