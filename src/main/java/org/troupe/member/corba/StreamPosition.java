package org.troupe.member.corba;

import java.util.HashMap;
import java.util.Map;

/**
 * How far a member has received its group's stream: the highest sequence id of any order or view,
 * and per sender the highest message id. A member's channel is FIFO and carries every order and
 * view, and each sender's messages in message-id order, so after it moves to another server
 * (which sends everything published after the event that carried that sequence id) a message it
 * already has shows by its id, and is dropped. Message ids are touched by one push at a time; the
 * sequence id also by a take-over, which starts it where its replay starts.
 */
final class StreamPosition {
    private final java.util.concurrent.atomic.AtomicLong sequenceId = new java.util.concurrent.atomic.AtomicLong();
    private final Map<Long, Long> messageIds = new HashMap<>();

    /** The highest sequence id received in an order or a view (0: none yet). */
    long sequenceId() {
        return sequenceId.get();
    }

    /** Raises the position to {@code seq} (never lowers it). */
    void ordered(long seq) {
        sequenceId.accumulateAndGet(seq, Math::max);
    }

    /** True if this message is new: its id is above every id received from its sender. */
    boolean fresh(long source, long messageId) {
        Long last = messageIds.get(source);
        if (last != null && messageId <= last) {
            return false;
        }
        messageIds.put(source, messageId);
        return true;
    }
}
