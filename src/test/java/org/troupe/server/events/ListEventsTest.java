package org.troupe.server.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.omg.CORBA.TCKind;
import org.troupe.cdr.FastAny;

/**
 * List events on a weighted channel (a group's): queues, flow control and push batches count the
 * entries of a list event, and a consumer's filter may narrow a list to its own entries.
 */
@Tag("unit")
class ListEventsTest extends org.troupe.LocalOrbTest {
    /** A list event: an any holding an Integer[] as a Java object (as a MessageList holds Message[]). */
    private static FastAny list(Integer... values) {
        return FastAny.ofStruct(orb, orb.get_primitive_tc(TCKind.tk_null), null, values);
    }

    private static Any plain(int v) {
        Any a = orb.create_any();
        a.insert_long(v);
        return a;
    }

    /** Keeps the even entries of a list (null if none is), and every other event. */
    private static Any evens(Any event) {
        if (event instanceof FastAny f && f.struct() instanceof Integer[] l) {
            List<Integer> kept = new ArrayList<>();
            for (Integer v : l) {
                if (v % 2 == 0) {
                    kept.add(v);
                }
            }
            return kept.isEmpty() ? null : kept.size() == l.length ? event : f.withStruct(kept.toArray(new Integer[0]));
        }
        return event;
    }

    private static ChannelSettings settings(int capacity, int watermark, int batchMax) {
        return new ChannelSettings(capacity, QueuePolicy.DISCONNECT, watermark, 100, 1000, batchMax, 10, 1000);
    }

    @Test
    void aListWeighsItsLengthAndAFilterNarrowsItForOneConsumer() throws Exception {
        EventChannelCore core = new EventChannelCore("g", settings(100, 10, 64), EventWeight.LIST_LENGTH);
        Subscription all = core.subscribe("all");
        Subscription even = core.subscribe("even", ListEventsTest::evens);
        FastAny first = list(1, 2, 3, 4);
        FastAny allEven = list(6, 8);
        core.publish(new Any[] {first, list(5), plain(7), allEven}, 4);

        assertEquals(4 + 1 + 1 + 2, all.queued(), "queued weight: the entries of the lists, 1 for the plain event");
        assertEquals(2 + 1 + 2, even.queued(), "the narrowed list weighs what it kept");
        assertEquals(1, even.filtered(), "the list with no even entry was kept from it");

        Any[] out = new Any[8];
        assertEquals(4, all.poll(out, 100));
        assertSame(first, out[0], "an unfiltered consumer gets the published event itself");

        assertEquals(3, even.poll(out, 100));
        FastAny narrowed = (FastAny) out[0];
        assertFalse(narrowed == first, "a narrowed list is a new event: the published one is shared");
        assertArrayEquals(new Integer[] {2, 4}, (Integer[]) narrowed.struct(), "its entries, in order");
        assertArrayEquals(new Integer[] {1, 2, 3, 4}, (Integer[]) first.struct(), "the published list is untouched");
        assertEquals(7, out[1].extract_long());
        assertSame(allEven, out[2], "a list whose entries all pass is not copied");
    }

    @Test
    void takesStopAtTheWeightLimitButAlwaysTakeOneEvent() throws Exception {
        EventChannelCore core = new EventChannelCore("g", settings(100, 50, 64), EventWeight.LIST_LENGTH);
        Subscription s = core.subscribe("s");
        core.publish(new Any[] {list(1, 2, 3, 4, 5), plain(6), list(7, 8)}, 3);
        Any[] out = new Any[8];
        assertEquals(1, s.poll(out, 2), "a list heavier than the limit still goes, alone");
        assertEquals(2, s.poll(out, 3), "then as many events as weigh at most the limit");
        assertEquals(0, s.queued());
    }

    @Test
    void aConsumerOverflowsByWeightNotByEventCount() throws Exception {
        EventChannelCore core = new EventChannelCore("g", settings(10, 9, 64), EventWeight.LIST_LENGTH);
        Subscription s = core.subscribe("s");
        core.publish(new Any[] {list(1, 2, 3, 4, 5, 6)}, 1);
        assertTrue(s.isActive());
        core.publish(new Any[] {list(7, 8, 9, 10, 11)}, 1); // 11 entries > 10: a queue full
        assertFalse(s.isActive(), "two events, but eleven messages: over the capacity of ten");
    }

    @Test
    void aStandardChannelCountsEventsWhateverTheyHold() throws Exception {
        EventChannelCore core = new EventChannelCore("c", settings(100, 10, 64));
        Subscription s = core.subscribe("s");
        core.publish(new Any[] {list(1, 2, 3, 4), plain(5)}, 2);
        assertEquals(2, s.queued());
    }

    @Test
    void dropOldestMakesRoomByWeight() {
        EventQueue q = new EventQueue(5, EventWeight.LIST_LENGTH);
        assertEquals(0, q.offer(new Any[] {list(1, 2), list(3, 4)}, 2, QueuePolicy.DROP_OLDEST));
        assertEquals(1, q.offer(new Any[] {list(5, 6, 7)}, 1, QueuePolicy.DROP_OLDEST), "one old list made room");
        assertEquals(5, q.size());
        Any[] out = new Any[4];
        assertEquals(2, q.poll(out, 100));
        assertArrayEquals(new Integer[] {3, 4}, (Integer[]) ((FastAny) out[0]).struct());
        assertEquals(0, q.offer(new Any[] {list(8)}, 1, QueuePolicy.DROP_NEWEST));
        assertEquals(1, q.offer(new Any[] {list(9, 10, 11, 12, 13)}, 1, QueuePolicy.DROP_NEWEST),
                "1 queued + 5 > 5: the new list is not queued");
    }
}
