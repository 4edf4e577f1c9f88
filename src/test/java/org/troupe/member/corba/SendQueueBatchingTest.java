package org.troupe.member.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.stack.RemovedFromGroup;

/**
 * The send queue without an ORB: a fake call that records what each call carries and can be
 * held in flight. What queues during a call goes in the next one, in id order; both bounds hold;
 * a flush waits for the calls; a direct send goes after the queued messages; a failed call
 * fails the queue once.
 */
@Tag("unit")
class SendQueueBatchingTest {
    private static final long WAIT_SECONDS = 10;

    /** The fake call: records each call's message ids; holds each call until released, if asked to. */
    private static final class FakeCall implements SendQueue.Call {
        final List<List<Long>> calls = new ArrayList<>();
        final Semaphore entered = new Semaphore(0);
        volatile Semaphore gate; // null: calls return at once
        volatile RuntimeException failWith;

        @Override
        public void send(List<GroupMessage> messages) throws Exception {
            List<Long> ids = new ArrayList<>();
            for (GroupMessage m : messages) {
                ids.add(m.messageId());
            }
            synchronized (calls) {
                calls.add(ids);
            }
            entered.release();
            Semaphore g = gate;
            if (g != null && !g.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the call");
            }
            RuntimeException f = failWith;
            if (f != null) {
                throw f;
            }
        }

        List<List<Long>> calls() {
            synchronized (calls) {
                return List.copyOf(calls);
            }
        }

        void awaitCalls(int n) throws InterruptedException {
            assertTrue(entered.tryAcquire(n, WAIT_SECONDS, TimeUnit.SECONDS), "calls made: " + calls());
        }
    }

    private final FakeCall call = new FakeCall();
    private final AtomicReference<String> failedWith = new AtomicReference<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private SendQueue queue;

    private SendQueue start(int messages, int maxBatch, int octets, long timeoutMillis) {
        queue = new SendQueue("g", new SendQueue.Limits(messages, maxBatch, octets, timeoutMillis), call, reason -> {
            failedWith.set(reason);
            failed.countDown();
        });
        queue.start("test-sender");
        return queue;
    }

    @AfterEach
    void stop() {
        if (queue != null) {
            Semaphore g = call.gate;
            if (g != null) {
                g.release(1000);
            }
            queue.stop();
        }
    }

    private static GroupMessage message(long id, int size) {
        return new GroupMessage(1, id, Destination.group(), "T", new byte[size], true, 0, 0);
    }

    @Test
    void whatQueuesWhileACallIsInFlightGoesInTheNextCallInOrder() throws Exception {
        call.gate = new Semaphore(0);
        start(100, 3, 1 << 20, 5_000);
        queue.put(message(1, 10));
        call.awaitCalls(1); // message 1 is in flight
        for (long id = 2; id <= 6; id++) {
            queue.put(message(id, 10));
        }
        call.gate.release(3);
        call.awaitCalls(2);
        assertTrue(queue.flush(WAIT_SECONDS * 1000));
        assertEquals(List.of(List.of(1L), List.of(2L, 3L, 4L), List.of(5L, 6L)), call.calls(),
                "the five queued behind the first call go in calls of at most 3, in id order");
    }

    @Test
    void aFullQueueWaitsThenRefusesWithWhichBoundIsFull() throws Exception {
        call.gate = new Semaphore(0);
        start(2, 1, 1 << 20, 100);
        queue.put(message(1, 10));
        call.awaitCalls(1);
        queue.put(message(2, 10));
        queue.put(message(3, 10));
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> queue.put(message(4, 10)));
        assertEquals("group g: send queue full for 100 ms (2 messages): the server is not keeping up",
                full.getMessage());
    }

    @Test
    void theOctetBoundHoldsBackAMessageUntilTheQueuedOnesAreSent() throws Exception {
        call.gate = new Semaphore(0);
        start(100, 10, 1000, 100);
        queue.put(message(1, 600));
        call.awaitCalls(1);
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> queue.put(message(2, 600)));
        assertTrue(full.getMessage().contains("1000 payload octets; this message needs 600"), full.getMessage());
        call.gate.release();
        assertTrue(queue.flush(WAIT_SECONDS * 1000), "message 1 sent: its octets are given back");
        queue.put(message(2, 600));
        call.gate.release();
        assertTrue(queue.flush(WAIT_SECONDS * 1000));
        assertEquals(List.of(List.of(1L), List.of(2L)), call.calls());
    }

    @Test
    void aFlushWaitsForTheCallsAndTimesOutWhileOneIsHeld() throws Exception {
        call.gate = new Semaphore(0);
        start(100, 10, 1 << 20, 5_000);
        queue.put(message(1, 10));
        call.awaitCalls(1);
        assertFalse(queue.flush(100), "the call is still in flight");
        call.gate.release();
        assertTrue(queue.flush(WAIT_SECONDS * 1000));
    }

    @Test
    void aDirectSendGoesAfterTheQueuedMessagesAndBeforeLaterOnes() throws Exception {
        call.gate = new Semaphore(0);
        start(100, 10, 1 << 20, 5_000);
        queue.put(message(1, 10));
        call.awaitCalls(1);
        queue.put(message(2, 10));
        CompletableFuture<List<List<Long>>> seenByDirect = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.afterQueued(call::calls);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        call.gate.release(2);
        assertEquals(List.of(List.of(1L), List.of(2L)), seenByDirect.get(WAIT_SECONDS, TimeUnit.SECONDS),
                "both queued messages were sent before the direct call ran");
    }

    @Test
    void aDirectSendIsRefusedWhenTheQueuedMessagesDoNotGoInTime() throws Exception {
        call.gate = new Semaphore(0);
        start(100, 10, 1 << 20, 100);
        queue.put(message(1, 10));
        call.awaitCalls(1); // held in flight
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> queue.afterQueued(() -> "sent"));
        assertEquals("group g: earlier messages not sent within 100 ms", late.getMessage());
    }

    @Test
    void aFailedCallFailsTheQueueOnceWithItsReason() throws Exception {
        call.failWith = new RemovedFromGroup("removed from group g: gone");
        start(100, 10, 1 << 20, 5_000);
        queue.put(message(1, 10));
        assertTrue(failed.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("removed from group g: gone", failedWith.get());
        IllegalStateException out = assertThrows(IllegalStateException.class, () -> queue.put(message(2, 10)));
        assertEquals("removed from group g: gone", out.getMessage());
        assertFalse(queue.flush(1000), "a failed queue flushes nothing");
    }

    @Test
    void aClosedQueueStillSendsWhatIsQueued() throws Exception {
        call.gate = new Semaphore(0);
        start(100, 1, 1 << 20, 5_000);
        queue.put(message(1, 10));
        call.awaitCalls(1);
        queue.put(message(2, 10));
        queue.put(message(3, 10));
        queue.close();
        call.gate.release(3);
        assertTrue(queue.flush(WAIT_SECONDS * 1000));
        assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L)), call.calls());
    }
}
