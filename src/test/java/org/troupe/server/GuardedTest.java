package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Tag("unit")
class GuardedTest {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedTest.class);

    @Test
    void aScheduledTaskThatThrowsAnErrorKeepsRunning() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            CountDownLatch runs = new CountDownLatch(5);
            timer.scheduleWithFixedDelay(Guarded.task("a failing task", LOG, () -> {
                runs.countDown();
                throw new OutOfMemoryError("simulated");
            }), 0, 5, TimeUnit.MILLISECONDS);
            assertTrue(runs.await(10, TimeUnit.SECONDS), "the task ran again after each Error");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void unguardedTheSameTaskRunsOnceOnly() throws Exception { // why the guard is needed
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            var f = timer.scheduleWithFixedDelay(() -> {
                runs.incrementAndGet();
                throw new OutOfMemoryError("simulated");
            }, 0, 5, TimeUnit.MILLISECONDS);
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                // the scheduler gave up on it
            }
            assertEquals(1, runs.get());
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aThrowableIsLoggedAndSwallowed() {
        AtomicInteger after = new AtomicInteger();
        Guarded.run("a task", LOG, () -> {
            throw new StackOverflowError("simulated");
        });
        after.incrementAndGet();
        assertEquals(1, after.get());
    }
}
