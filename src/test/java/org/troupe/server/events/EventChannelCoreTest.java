package org.troupe.server.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;

/** Fan-out, queue policies and flow control of one channel, without any POA. */
@Tag("unit")
class EventChannelCoreTest {
    private static ORB orb;

    @BeforeAll
    static void orb() {
        orb = ORB.init(new String[0], null);
        EventQueueTest.orb();
    }

    @AfterAll
    static void shutdown() {
        orb.shutdown(false);
        EventQueueTest.shutdown();
    }

    private static ChannelSettings settings(int capacity, QueuePolicy policy, int watermark, long stallMs,
            long flowTimeoutMs) {
        return new ChannelSettings(capacity, policy, watermark, stallMs, flowTimeoutMs, 64, 10, 1000);
    }

    private static int[] takeAll(Subscription s) {
        Any[] out = new Any[1024];
        int n = s.poll(out, out.length);
        return EventQueueTest.values(out, Math.max(n, 0));
    }

    @Test
    void everyConsumerGetsEveryEventInOrder() throws Exception {
        EventChannelCore core = new EventChannelCore("t", settings(100, QueuePolicy.DISCONNECT, 50, 50, 100));
        Subscription a = core.subscribe("a");
        Subscription b = core.subscribe("b");
        core.publish(EventQueueTest.events(0, 3), 3);
        core.publish(EventQueueTest.events(3, 2), 2);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, takeAll(a));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, takeAll(b));
        assertEquals(5, core.eventsIn());
        assertEquals(10, core.eventsDelivered());
    }

    @Test
    void aConsumerThatOverflowsIsEvictedAndToldTheOthersGoOn() throws Exception {
        EventChannelCore core = new EventChannelCore("t", settings(4, QueuePolicy.DISCONNECT, 2, 1, 0));
        Subscription slow = core.subscribe("slow");
        Subscription fast = core.subscribe("fast");
        AtomicReference<String> why = new AtomicReference<>();
        boolean[] told = new boolean[1];
        slow.onEvicted((reason, tell) -> {
            why.set(reason);
            told[0] = tell;
        });
        for (int i = 0; i < 3; i++) {
            core.publish(EventQueueTest.events(i * 2, 2), 2);
            assertEquals(2, takeAll(fast).length);
        }
        assertFalse(slow.isActive());
        assertTrue(why.get().contains("queue full"), why.get());
        assertTrue(told[0], "an overflowing consumer is alive and must be told");
        assertEquals(1, core.consumersEvicted());
        assertEquals(1, core.consumerCount());
        core.publish(EventQueueTest.events(6, 1), 1);
        assertArrayEquals(new int[] {6}, takeAll(fast));
    }

    @Test
    void dropOldestCountsWhatItDrops() throws Exception {
        EventChannelCore core = new EventChannelCore("t", settings(4, QueuePolicy.DROP_OLDEST, 2, 1, 0));
        Subscription s = core.subscribe("s");
        core.publish(EventQueueTest.events(0, 6), 6);
        assertTrue(s.isActive());
        assertEquals(2, s.dropped());
        assertEquals(2, core.eventsDropped());
        assertArrayEquals(new int[] {2, 3, 4, 5}, takeAll(s));
    }

    @Test
    void aResponsiveConsumerAboveTheWatermarkHoldsThePublisherUntilItTakes() throws Exception {
        EventChannelCore core = new EventChannelCore("t", settings(100, QueuePolicy.DISCONNECT, 2, 60_000, 30_000));
        Subscription s = core.subscribe("s");
        core.publish(EventQueueTest.events(0, 3), 3); // now above the watermark
        CountDownLatch published = new CountDownLatch(1);
        Thread publisher = new Thread(() -> {
            try {
                core.publish(EventQueueTest.events(3, 1), 1);
                published.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        publisher.start();
        assertFalse(published.await(200, TimeUnit.MILLISECONDS), "publish must wait for the consumer");
        assertArrayEquals(new int[] {0, 1, 2}, takeAll(s));
        assertTrue(published.await(5, TimeUnit.SECONDS), "publish must resume once the consumer took events");
        assertArrayEquals(new int[] {3}, takeAll(s));
        assertEquals(0, core.flowTimeouts());
        assertEquals(1, core.flowWaits(), "the wait is counted");
    }

    @Test
    void aStalledConsumerStopsHoldingThePublisherBackAfterTheStallTime() throws Exception {
        EventChannelCore core = new EventChannelCore("t", settings(1000, QueuePolicy.DISCONNECT, 2, 100, 2_000));
        Subscription stalled = core.subscribe("stalled");
        Subscription live = core.subscribe("live");
        long t0 = System.nanoTime();
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            core.publish(EventQueueTest.events(i * 3, 3), 3);
            for (int v : takeAll(live)) {
                got.add(v);
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(60, got.size());
        assertTrue(ms < 10_000, "publishing took " + ms + " ms: the stalled consumer held the publisher");
        assertTrue(stalled.isActive(), "a stalled consumer keeps its queue until it overflows");
        assertEquals(60, stalled.queued());
    }

    @Test
    void aConsumersStallLimitFollowsItsOwnPushTimesWithinBounds() {
        EventChannelCore core = new EventChannelCore("t", settings(100, QueuePolicy.DISCONNECT, 2, 100, 1000));
        Subscription s = core.subscribe("s");
        long max = TimeUnit.MILLISECONDS.toNanos(100);
        assertEquals(max, s.stallNanos(max), "unmeasured: the configured stall");
        for (int i = 0; i < 50; i++) {
            s.recordCall(TimeUnit.MILLISECONDS.toNanos(3));
        }
        assertEquals(TimeUnit.MILLISECONDS.toNanos(24), s.stallNanos(max), 1_000_000, "8 x its 3 ms calls");
        for (int i = 0; i < 50; i++) {
            s.recordCall(TimeUnit.MICROSECONDS.toNanos(100));
        }
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10), s.stallNanos(max), "never below 10 ms");
        for (int i = 0; i < 50; i++) {
            s.recordCall(TimeUnit.MILLISECONDS.toNanos(40));
        }
        assertEquals(max, s.stallNanos(max), "never above the configured stall");
    }

    @Test
    void theFlowTimeoutBoundsEveryWait() throws Exception {
        EventChannelCore core = new EventChannelCore("t", settings(100, QueuePolicy.DISCONNECT, 2, 60_000, 50));
        core.subscribe("never-takes-but-counts-as-responsive");
        core.publish(EventQueueTest.events(0, 3), 3);
        long t0 = System.nanoTime();
        core.publish(EventQueueTest.events(3, 1), 1);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 40 && ms < 5_000, "waited " + ms + " ms");
        assertEquals(1, core.flowTimeouts());
        assertEquals(1, core.flowWaits());
    }
}
