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
    /**
     * Messages published but not yet ordered (a member holds the sequencer), in publish order,
     * each with the time it began to wait.
     */
    private final Map<Ref, Held> unordered = new LinkedHashMap<>();

    private record Held(Envelope message, long sinceNanos) {
    }

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
        unordered.put(message.ref(), new Held(message, now));
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
        return new Order(unordered.remove(ref).message(), nextForMessage());
    }

    /** Orders, now and in publish order, every held message of {@code source}. */
    List<Order> orderHeldOf(long source) {
        List<Order> done = new ArrayList<>();
        if (unordered.isEmpty()) {
            return done;
        }
        for (Iterator<Map.Entry<Ref, Held>> it = unordered.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Ref, Held> e = it.next();
            if (e.getKey().source() == source) {
                it.remove();
                done.add(new Order(e.getValue().message(), nextForMessage()));
            }
        }
        return done;
    }

    /** Orders every held message, in publish order (before a view). */
    List<Order> flush() {
        List<Order> flushed = new ArrayList<>(unordered.size());
        for (Held h : unordered.values()) {
            flushed.add(new Order(h.message(), nextForMessage()));
        }
        unordered.clear();
        return flushed;
    }

    /**
     * True if a message has waited since before {@code deadline}: the member sequencer orders
     * nothing, or leaves some senders' messages unordered (it may not censor them).
     */
    boolean stalledSince(long deadlineNanos) {
        if (unordered.isEmpty()) {
            return false;
        }
        return unordered.values().iterator().next().sinceNanos() - deadlineNanos < 0; // the oldest waits longest
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(nextSequenceId);
        out.writeLong(messagesSequenced);
        out.writeInt(unordered.size());
        for (Held h : unordered.values()) {
            CommandCodec.writeEnvelope(out, h.message());
            out.writeLong(h.sinceNanos());
        }
    }

    void read(DataInput in) throws IOException {
        nextSequenceId = in.readLong();
        messagesSequenced = in.readLong();
        unordered.clear();
        for (int i = CommandCodec.count(in); i > 0; i--) {
            Envelope e = CommandCodec.readEnvelope(in);
            unordered.put(e.ref(), new Held(e, in.readLong()));
        }
    }
}
