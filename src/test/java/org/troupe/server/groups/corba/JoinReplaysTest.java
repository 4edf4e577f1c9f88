package org.troupe.server.groups.corba;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.NO_PERMISSION;

/** A retried join is answered to the same consumer within the window, and to no one else. */
@Tag("unit")
class JoinReplaysTest extends org.troupe.LocalOrbTest {
    private static final long T0 = 1_000_000_000L;

    private static org.omg.CORBA.Object consumer(int n) {
        return orb.string_to_object("corbaloc:iiop:127.0.0.1:" + (20000 + n) + "/consumer" + n);
    }

    @Test
    void theSameConsumerWithinTheWindowOnly() {
        JoinReplays r = new JoinReplays(orb, "g");
        r.remember("req", 3, r.requester(consumer(1)), T0);
        assertDoesNotThrow(() -> r.checkRetry("req", 3, consumer(1), T0 + TimeUnit.SECONDS.toNanos(29)));
        NO_PERMISSION other = assertThrows(NO_PERMISSION.class, () -> r.checkRetry("req", 3, consumer(2), T0));
        assertTrue(other.getMessage().contains("with another consumer"), other.getMessage());
        assertThrows(NO_PERMISSION.class, () -> r.checkRetry("req", 3, null, T0), "nil is another consumer");
        NO_PERMISSION late = assertThrows(NO_PERMISSION.class,
                () -> r.checkRetry("req", 3, consumer(1), T0 + TimeUnit.SECONDS.toNanos(31)));
        assertTrue(late.getMessage().contains("more than 30 s ago"), late.getMessage());
    }

    @Test
    void aNilConsumerMatchesOnlyNilAndAMemberThatWentIsForgotten() {
        JoinReplays r = new JoinReplays(orb, "g");
        r.remember("req", 4, null, T0);
        assertDoesNotThrow(() -> r.checkRetry("req", 4, null, T0 + 1));
        assertThrows(NO_PERMISSION.class, () -> r.checkRetry("req", 4, consumer(1), T0 + 1));
        r.forget(4);
        assertThrows(NO_PERMISSION.class, () -> r.checkRetry("req", 4, null, T0 + 2));
    }

    @Test
    void boundedTheOldestGoFirst() {
        JoinReplays r = new JoinReplays(orb, "g");
        for (int i = 0; i <= JoinReplays.MAX_REMEMBERED; i++) {
            r.remember("req" + i, i + 1, null, T0 + i);
        }
        assertThrows(NO_PERMISSION.class, () -> r.checkRetry("req0", 1, null, T0 + 5000));
        assertDoesNotThrow(() -> r.checkRetry("req1", 2, null, T0 + 5000));
    }
}
