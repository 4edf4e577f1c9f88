package org.troupe.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;

/**
 * The dispatcher between a subscription and a fake consumer: no call starts after a disconnect,
 * the disconnect can wait for the call in flight, and only calls that returned count as
 * delivered.
 */
@Tag("unit")
class PushDispatcherTest {
    @BeforeAll
    static void orb() {
        EventQueueTest.orb();
    }

    @AfterAll
    static void shutdown() {
        EventQueueTest.shutdown();
    }

    private static EventChannelCore core() {
        return new EventChannelCore("t", new ChannelSettings(1000, QueuePolicy.DISCONNECT, 500, 100, 1000, 64, 10, 1000));
    }

    /** A consumer served one event per call, scripted per event value. */
    private static final class Sink implements EventSink {
        final List<Integer> pushed = new CopyOnWriteArrayList<>();
        volatile int rejectFrom = Integer.MAX_VALUE;
        volatile int goneAt = -1;
        volatile CountDownLatch holdAt;
        final CountDownLatch held = new CountDownLatch(1);
        volatile int hold = -1;

        @Override
        public int eventsPerCall() {
            return 1;
        }

        @Override
        public boolean push(Any[] events, int from, int n) throws ConsumerGoneException {
            int v = events[from].extract_long();
            if (v == goneAt) {
                throw new ConsumerGoneException("gone", null, true);
            }
            if (v == hold) {
                held.countDown();
                try {
                    holdAt.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            pushed.add(v);
            return v < rejectFrom;
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 10 s for " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void onlyCallsThatReturnedNormallyCountAsDelivered() throws Exception {
        EventChannelCore core = core();
        Subscription s = core.subscribe("s");
        Sink sink = new Sink();
        sink.rejectFrom = 3; // the consumer's own push fails for events 3 and 4
        new PushDispatcher(s, sink, 64).start("d");
        core.publish(EventQueueTest.events(0, 5), 5);
        awaitTrue(() -> sink.pushed.size() == 5, "5 calls");
        awaitTrue(() -> s.delivered() + s.dropped() == 5, "5 events counted");
        assertEquals(3, core.eventsDelivered());
        assertEquals(2, core.eventsDropped());
        s.close();
    }

    @Test
    void aConsumerGoneMidBatchLosesTheRestAndIsCutOffToBeToldWhenReachable() throws Exception {
        EventChannelCore core = core();
        Subscription s = core.subscribe("s");
        AtomicReference<Boolean> tell = new AtomicReference<>();
        s.onEvicted((reason, t) -> tell.set(t));
        Sink sink = new Sink();
        sink.goneAt = 2;
        new PushDispatcher(s, sink, 64).start("d");
        core.publish(EventQueueTest.events(0, 5), 5);
        awaitTrue(() -> tell.get() != null, "the eviction");
        assertTrue(tell.get(), "a consumer that may answer later is to be told");
        assertEquals(2, core.eventsDelivered());
        assertEquals(3, core.eventsDropped(), "the failed call's event and the two after it");
        assertEquals(1, core.consumersEvicted());
    }

    @Test
    void noCallStartsAfterADisconnectWhichCanWaitForTheCallInFlight() throws Exception {
        EventChannelCore core = core();
        Subscription s = core.subscribe("s");
        Sink sink = new Sink();
        sink.hold = 1;
        sink.holdAt = new CountDownLatch(1);
        new PushDispatcher(s, sink, 64).start("d");
        core.publish(EventQueueTest.events(0, 10), 10); // taken as one batch
        assertTrue(sink.held.await(10, TimeUnit.SECONDS));
        s.close(); // while the push of event 1 is in flight
        assertFalse(s.awaitNoPushInFlight(TimeUnit.MILLISECONDS.toNanos(50)), "a call is in flight");
        AtomicInteger pushedWhenToldToTell = new AtomicInteger(-1);
        CountDownLatch afterLast = new CountDownLatch(1);
        s.afterLastPush(() -> {
            pushedWhenToldToTell.set(sink.pushed.size());
            afterLast.countDown();
        });
        assertEquals(1, afterLast.getCount(), "not before the call in flight ended");
        sink.holdAt.countDown();
        assertTrue(s.awaitNoPushInFlight(TimeUnit.SECONDS.toNanos(10)));
        assertTrue(afterLast.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1), sink.pushed, "no call started after the disconnect");
        assertEquals(2, pushedWhenToldToTell.get());
        awaitTrue(() -> core.eventsDropped() == 8, "the 8 events not sent counted as dropped");
        assertEquals(2, core.eventsDelivered());
    }
}
