package org.troupe.member.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;

/** The send queue's octet bound: what a message costs, a full budget that times out, and giving back. */
@Tag("unit")
class OctetBudgetTest {
    private static GroupMessage message(int size) {
        return new GroupMessage(1, 1, Destination.group(), "T", new byte[size], true, 0, 0);
    }

    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(50);

    @Test
    void aMessageCostsItsPayloadAtLeastOneAndAtMostTheWholeBudget() {
        OctetBudget b = new OctetBudget(1000);
        assertEquals(300, b.cost(message(300)));
        assertEquals(1, b.cost(message(0)), "an empty message still takes a place");
        assertEquals(1000, b.cost(message(5000)), "a larger message takes the whole budget, so it can go at all");
    }

    @Test
    void aFullBudgetTimesOutUntilTheSentMessagesAreGivenBack() throws Exception {
        OctetBudget b = new OctetBudget(1000);
        GroupMessage first = message(600);
        assertTrue(b.take(b.cost(first), SHORT));
        GroupMessage second = message(600);
        assertFalse(b.take(b.cost(second), SHORT), "600 + 600 is over the budget: the second waits, then gives up");
        assertEquals(400, b.free(), "a take that timed out took nothing");
        b.giveBack(List.of(first));
        assertTrue(b.take(b.cost(second), SHORT));
        assertEquals(400, b.free());
    }

    @Test
    void aLargeMessageWaitsForEverythingElseThenGoes() throws Exception {
        OctetBudget b = new OctetBudget(1000);
        GroupMessage small = message(10);
        assertTrue(b.take(b.cost(small), SHORT));
        GroupMessage large = message(1 << 20);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return b.take(b.cost(large), TimeUnit.SECONDS.toNanos(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(java.util.concurrent.TimeoutException.class, () -> waiting.get(100, TimeUnit.MILLISECONDS),
                "the large message waits while a small one is queued");
        b.giveBack(List.of(small));
        assertTrue(waiting.get(10, TimeUnit.SECONDS), "and goes once it is sent");
        assertEquals(0, b.free());
    }

    @Test
    void aBudgetMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new OctetBudget(0));
    }
}
