package org.troupe.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;

/**
 * What a channel tells operators of each consumer: its filter (by which a group knows the
 * member), its queue, and whether it keeps up: a consumer past the flow watermark that took
 * nothing for its stall time does not; one that drained its queue does.
 */
@Tag("unit")
class ConsumerStateTest {
    @BeforeAll
    static void orb() {
        EventQueueTest.orb();
    }

    @AfterAll
    static void shutdown() {
        EventQueueTest.shutdown();
    }

    private static EventChannelCore.ConsumerState of(EventChannelCore core, EventFilter f) {
        return core.consumers().stream().filter(c -> c.filter() == f).findFirst().orElseThrow();
    }

    @Test
    void aConsumerPastTheWatermarkThatTakesNothingIsBehind() throws Exception {
        EventChannelCore core = new EventChannelCore("t", new ChannelSettings(100, QueuePolicy.DISCONNECT, 5, 20, 100,
                64, 10, 1000));
        EventFilter slowFilter = e -> e;
        EventFilter fastFilter = e -> e;
        core.subscribe("slow", slowFilter);
        Subscription fast = core.subscribe("fast", fastFilter);
        core.publishNow(EventQueueTest.events(0, 10), 10);
        fast.poll(new Any[64], 64);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (of(core, slowFilter).keepingUp() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        EventChannelCore.ConsumerState slow = of(core, slowFilter);
        assertEquals(false, slow.keepingUp(), "10 queued past a watermark of 5, nothing taken for 20 ms");
        assertEquals(10, slow.queued());
        assertEquals(100, slow.capacity());
        EventChannelCore.ConsumerState f = of(core, fastFilter);
        assertTrue(f.keepingUp());
        assertEquals(0, f.queued());
        assertSame(fastFilter, f.filter());
        assertEquals(2, core.consumers().size());
        assertEquals(List.of(), new EventChannelCore("empty", new ChannelSettings(10, QueuePolicy.DISCONNECT, 5, 20,
                100, 64, 10, 1000)).consumers());
    }
}
