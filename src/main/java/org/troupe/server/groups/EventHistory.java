package org.troupe.server.groups;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The latest events a group published, in order, bounded in count and in payload octets: what a
 * member that lost its server needs to go on from the new one without a gap. A member's channel
 * is FIFO and carries every order and view (only Messages are filtered), so a member that
 * received the event holding sequence id {@code r} received everything published before it;
 * {@link #after} gives it everything published since. Every server that applies a group's
 * commands produces the same events, so every one of them can answer.
 */
public final class EventHistory {
    private final int maxEvents;
    private final long maxOctets;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long octets;
    /** The highest sequence id of any event dropped so far (0: none dropped). */
    private long droppedUpTo;

    private record Entry(GroupEvent event, long minSeq, long maxSeq, long octets) {
    }

    /**
     * @param maxEvents the most events kept
     * @param maxOctets the most payload octets kept (the oldest events go first)
     */
    public EventHistory(int maxEvents, long maxOctets) {
        if (maxEvents < 1 || maxOctets < 1) {
            throw new IllegalArgumentException("an event history keeps at least one event and one octet");
        }
        this.maxEvents = maxEvents;
        this.maxOctets = maxOctets;
    }

    /** Records what one command published, in order. */
    public void add(List<GroupEvent> events) {
        for (GroupEvent e : events) {
            long min = Long.MAX_VALUE;
            long max = 0;
            long size = 64;
            if (e instanceof GroupEvent.Orders o) {
                for (Order x : o.orders()) {
                    min = Math.min(min, x.sequenceId());
                    max = Math.max(max, x.sequenceId());
                    size += 32;
                }
            } else if (e instanceof GroupEvent.ViewInstalled v) {
                min = v.sequenceId();
                max = v.sequenceId();
                size += 64L * v.view().members().size();
            } else if (e instanceof GroupEvent.Messages m) {
                for (Envelope x : m.messages()) {
                    size += 64 + x.payload().length;
                }
            }
            entries.addLast(new Entry(e, max == 0 ? 0 : min, max, size));
            octets += size;
        }
        while (entries.size() > maxEvents || (octets > maxOctets && entries.size() > 1)) {
            Entry gone = entries.removeFirst();
            octets -= gone.octets();
            droppedUpTo = Math.max(droppedUpTo, gone.maxSeq());
        }
    }

    /**
     * The events published after the one that carried sequence id {@code received}, in order;
     * null if that event is no longer held (the member is too far behind: it must join again),
     * or if no event here carried it yet (this server has not applied as much as the member saw).
     */
    public List<GroupEvent> after(long received) {
        if (received < 1 || received <= droppedUpTo) {
            return null;
        }
        List<GroupEvent> tail = new ArrayList<>();
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext();) {
            Entry e = it.next();
            if (e.maxSeq() != 0 && e.minSeq() <= received && received <= e.maxSeq()) {
                java.util.Collections.reverse(tail);
                return tail;
            }
            if (e.maxSeq() != 0 && e.maxSeq() < received) {
                return null; // sequence ids only grow: nothing older carries it
            }
            tail.add(e.event());
        }
        return null;
    }

    /** Events held. */
    public int size() {
        return entries.size();
    }
}
