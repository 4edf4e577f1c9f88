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
}
