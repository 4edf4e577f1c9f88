package org.troupe.server.groups;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The group's one sequence: every sequenced message and every view gets the next sequence id.
 * While a member holds the sequencer, messages wait here unordered (in publish order, which is
 * FIFO per sender) until it orders them, or until the next view orders what is left (the flush:
 * a departing member's messages come before the view that removes it).
 */
final class Sequencer {
    private long nextSequenceId = 1;
    private long messagesSequenced;
    /** Messages published but not yet ordered (a member holds the sequencer), in publish order. */
    private final Map<Ref, Envelope> unordered = new LinkedHashMap<>();
    /** When the member sequencer last ordered a message, or messages began to wait for it. */
    private long orderProgressNanos;

    /** The next sequence id, for a message. */
    long nextForMessage() {
        messagesSequenced++;
        return nextSequenceId++;
    }

    /** The next sequence id, for a view. */
    long nextForView() {
        return nextSequenceId++;
    }

    long lastSequenceId() {
        return nextSequenceId - 1;
    }

    long messagesSequenced() {
        return messagesSequenced;
    }

    /** Keeps a published message until the member sequencer orders it. */
    void hold(Envelope message, long now) {
        if (unordered.isEmpty()) {
            orderProgressNanos = now;
        }
        unordered.put(message.ref(), message);
    }

    boolean isHeld(Ref ref) {
        return unordered.containsKey(ref);
    }

    /** How many messages wait for the member sequencer. */
    int held() {
        return unordered.size();
    }

    /** Orders one held message now. */
    Order order(Ref ref, long now) {
        orderProgressNanos = now;
        return new Order(unordered.remove(ref), nextForMessage());
    }

    /** Orders, now and in publish order, every held message of {@code source}. */
    List<Order> orderHeldOf(long source) {
        List<Order> done = new ArrayList<>();
        if (unordered.isEmpty()) {
            return done;
        }
        for (Iterator<Map.Entry<Ref, Envelope>> it = unordered.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Ref, Envelope> e = it.next();
            if (e.getKey().source() == source) {
                it.remove();
                done.add(new Order(e.getValue(), nextForMessage()));
            }
        }
        return done;
    }

    /** Orders every held message, in publish order (before a view). */
    List<Order> flush() {
        List<Order> flushed = new ArrayList<>(unordered.size());
        for (Envelope m : unordered.values()) {
            flushed.add(new Order(m, nextForMessage()));
        }
        unordered.clear();
        return flushed;
    }

    /** True if messages have waited since before {@code deadline} with none ordered meanwhile. */
    boolean stalledSince(long deadlineNanos) {
        return !unordered.isEmpty() && orderProgressNanos - deadlineNanos < 0;
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(nextSequenceId);
        out.writeLong(messagesSequenced);
        out.writeLong(orderProgressNanos);
        out.writeInt(unordered.size());
        for (Envelope e : unordered.values()) {
            CommandCodec.writeEnvelope(out, e);
        }
    }

    void read(DataInput in) throws IOException {
        nextSequenceId = in.readLong();
        messagesSequenced = in.readLong();
        orderProgressNanos = in.readLong();
        unordered.clear();
        for (int i = CommandCodec.count(in); i > 0; i--) {
            Envelope e = CommandCodec.readEnvelope(in);
            unordered.put(e.ref(), e);
        }
    }
}
