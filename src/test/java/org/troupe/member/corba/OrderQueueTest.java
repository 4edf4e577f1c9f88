package org.troupe.member.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.stack.ServerUnreachable;
import org.troupe.member.stack.StackEvent;

/** The order queue without an ORB: batching behind a call in flight, its bound, and a failed call. */
@Tag("unit")
class OrderQueueTest {
    private final List<List<Long>> calls = new ArrayList<>();
    private final Semaphore entered = new Semaphore(0);
    private final Semaphore gate = new Semaphore(0);
    private volatile RuntimeException failWith;
    private final AtomicReference<String> failedWith = new AtomicReference<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private OrderQueue queue;

    private void start(int capacity) {
        queue = new OrderQueue("g", capacity, 100, orders -> {
            List<Long> ids = new ArrayList<>();
            for (StackEvent.Order o : orders) {
                ids.add(o.messageId());
            }
            synchronized (calls) {
                calls.add(ids);
            }
            entered.release();
            assertTrue(gate.tryAcquire(10, TimeUnit.SECONDS), "never released");
            RuntimeException f = failWith;
            if (f != null) {
                throw f;
            }
        }, reason -> {
            failedWith.set(reason);
            failed.countDown();
        });
        queue.start("test-orderer");
    }

    @AfterEach
    void stop() {
        gate.release(1000);
        queue.stop();
    }

    @Test
    void ordersQueuedWhileACallIsInFlightGoInTheNextCall() throws Exception {
        start(100);
        queue.put(new StackEvent.Order(1, 1));
        assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS));
        queue.put(new StackEvent.Order(1, 2));
        queue.put(new StackEvent.Order(2, 3));
        gate.release(2);
        assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS));
        synchronized (calls) {
            assertEquals(List.of(List.of(1L), List.of(2L, 3L)), calls);
        }
    }

    @Test
    void aFullQueueRefusesAfterItsTimeOut() throws Exception {
        start(1);
        queue.put(new StackEvent.Order(1, 1));
        assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS));
        queue.put(new StackEvent.Order(1, 2));
        IllegalStateException full = assertThrows(IllegalStateException.class,
                () -> queue.put(new StackEvent.Order(1, 3)));
        assertEquals("group g: order queue full for 100 ms (the server is not keeping up)", full.getMessage());
    }

    @Test
    void aFailedCallFailsTheQueue() throws Exception {
        failWith = new ServerUnreachable("TRANSIENT", "group g: cannot reach the server: TRANSIENT");
        start(100);
        queue.put(new StackEvent.Order(1, 1));
        gate.release();
        assertTrue(failed.await(10, TimeUnit.SECONDS));
        assertEquals("group g: cannot reach the server: TRANSIENT", failedWith.get());
        assertEquals("group g: cannot reach the server: TRANSIENT",
                assertThrows(IllegalStateException.class, () -> queue.put(new StackEvent.Order(1, 2))).getMessage());
    }
}
