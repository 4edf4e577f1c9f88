package org.troupe.server.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;

/** The bounded per-consumer ring and its three overflow policies. */
@Tag("unit")
class EventQueueTest {
    private static ORB orb;

    @BeforeAll
    static void orb() {
        orb = ORB.init(new String[0], null);
    }

    @AfterAll
    static void shutdown() {
        orb.shutdown(false);
    }

    static Any[] events(int from, int n) {
        Any[] a = new Any[n];
        for (int i = 0; i < n; i++) {
            a[i] = orb.create_any();
            a[i].insert_long(from + i);
        }
        return a;
    }

    static int[] values(Any[] a, int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = a[i].extract_long();
        }
        return v;
    }

    private static int[] drain(EventQueue q) {
        Any[] out = new Any[q.capacity()];
        int n = q.poll(out, out.length);
        return values(out, n);
    }

    @Test
    void keepsFifoOrderAcrossWrapAround() throws Exception {
        EventQueue q = new EventQueue(4);
        assertEquals(0, q.offer(events(0, 3), 3, QueuePolicy.DISCONNECT));
        Any[] out = new Any[2];
        assertEquals(2, q.take(out, 2, 0));
        assertArrayEquals(new int[] {0, 1}, values(out, 2));
        assertEquals(0, q.offer(events(3, 3), 3, QueuePolicy.DISCONNECT)); // wraps
        assertArrayEquals(new int[] {2, 3, 4, 5}, drain(q));
    }

    @Test
    void dropNewestKeepsTheFirstThatFitAndCountsTheRest() {
        EventQueue q = new EventQueue(4);
        q.offer(events(0, 3), 3, QueuePolicy.DROP_NEWEST);
        assertEquals(2, q.offer(events(3, 3), 3, QueuePolicy.DROP_NEWEST));
        assertArrayEquals(new int[] {0, 1, 2, 3}, drain(q));
    }

    @Test
    void dropOldestMakesRoomForTheNewest() {
        EventQueue q = new EventQueue(4);
        q.offer(events(0, 3), 3, QueuePolicy.DROP_OLDEST);
        assertEquals(2, q.offer(events(3, 3), 3, QueuePolicy.DROP_OLDEST));
        assertArrayEquals(new int[] {2, 3, 4, 5}, drain(q));
    }

    @Test
    void dropOldestWithABatchLargerThanTheQueueKeepsItsTail() {
        EventQueue q = new EventQueue(4);
        q.offer(events(0, 2), 2, QueuePolicy.DROP_OLDEST);
        assertEquals(2 + 6 - 4, q.offer(events(10, 6), 6, QueuePolicy.DROP_OLDEST));
        assertArrayEquals(new int[] {12, 13, 14, 15}, drain(q));
    }

    @Test
    void disconnectPolicyReportsOverflow() {
        EventQueue q = new EventQueue(2);
        assertEquals(1, q.offer(events(0, 3), 3, QueuePolicy.DISCONNECT));
    }

    @Test
    void takeTimesOutEmptyAndReturnsMinusOneOnceClosed() throws Exception {
        EventQueue q = new EventQueue(2);
        Any[] out = new Any[1];
        assertEquals(0, q.take(out, 1, 1_000_000));
        q.offer(events(0, 2), 2, QueuePolicy.DISCONNECT);
        assertEquals(2, q.close());
        assertEquals(-1, q.take(out, 1, 1_000_000));
        assertEquals(2, q.offer(events(0, 2), 2, QueuePolicy.DISCONNECT));
    }

    @Test
    void closeWakesABlockedTaker() throws Exception {
        EventQueue q = new EventQueue(2);
        int[] got = {99};
        Thread t = new Thread(() -> {
            try {
                got[0] = q.take(new Any[1], 1, 30_000_000_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        q.close();
        t.join(5000);
        assertEquals(-1, got[0]);
    }

    @Test
    void theRingIsAllocatedAsItFillsStaysBoundedAndShrinksWhenEmpty() throws Exception {
        EventQueue q = new EventQueue(65536);
        assertEquals(EventQueue.INITIAL_SLOTS, q.allocated(), "an idle consumer holds a small ring");
        int n = 0;
        for (int round = 0; round < 5; round++) { // wrap around while growing: order is kept
            assertEquals(0, q.offer(events(n, 700), 700, QueuePolicy.DISCONNECT));
            n += 700;
            Any[] out = new Any[300];
            assertEquals(300, q.take(out, 300, 0));
        }
        assertEquals(5 * 400, q.size());
        int grown = q.allocated();
        assertEquals(true, grown >= 2000 && grown <= 4096, "grew to " + grown);
        int[] rest = drain(q);
        assertEquals(2000, rest.length);
        for (int k = 0; k < rest.length; k++) { // FIFO across every resize: 1500 were taken before
            assertEquals(1500 + k, rest[k]);
        }
        assertEquals(EventQueue.INITIAL_SLOTS, q.allocated(), "an emptied large ring is given back");

        EventQueue small = new EventQueue(100);
        assertEquals(20, small.offer(events(0, 120), 120, QueuePolicy.DROP_NEWEST));
        assertEquals(100, small.allocated(), "never past the capacity");
    }
}
