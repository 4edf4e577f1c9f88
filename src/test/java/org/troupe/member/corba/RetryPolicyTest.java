package org.troupe.member.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** How long a member retries a call: counted from the call's first failure. */
@Tag("unit")
class RetryPolicyTest {
    @Test
    void aCallThatHungLongerThanTheWindowStillGetsItsRetries() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        String result = RetryPolicy.retrying("send", 50, () -> {
            if (attempts.incrementAndGet() == 1) {
                Thread.sleep(150); // a frozen server holds the call past the whole window, then it fails
                throw new org.omg.CORBA.TRANSIENT("no leader right now; retry");
            }
            return "sent";
        });
        assertEquals("sent", result);
        assertEquals(2, attempts.get());
    }

    @Test
    void failuresAreRetriedForTheWindowOnlyThenPassThrough() {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        org.omg.CORBA.COMM_FAILURE e = assertThrows(org.omg.CORBA.COMM_FAILURE.class,
                () -> RetryPolicy.retrying("send", 100, () -> {
                    attempts.incrementAndGet();
                    throw new org.omg.CORBA.COMM_FAILURE("gone");
                }));
        long millis = (System.nanoTime() - start) / 1_000_000L;
        assertEquals("gone", e.getMessage());
        assertTrue(attempts.get() >= 2, "retried: " + attempts.get());
        assertTrue(millis >= 100, "for the window: " + millis + " ms");
    }

    @Test
    void otherExceptionsPassAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> RetryPolicy.retrying("send", 1000, () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("refused");
        }));
        assertEquals(1, attempts.get());
    }
}
