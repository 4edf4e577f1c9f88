package org.troupe.member.stack;

import java.util.ArrayDeque;
import org.troupe.member.model.GroupMessage;

/**
 * A member's copies of its own messages, in message id order, from their way down until their
 * order or their return through the channel (see {@link TotalOrderLayer}). Both come back in
 * message id order (FIFO per sender), so a copy is taken from the head. Bounded;
 * safe between the application threads that add and the stack thread that takes.
 */
final class OwnCopies {
    private final ArrayDeque<GroupMessage> copies = new ArrayDeque<>();
    private final int limit;
    private long stale;

    OwnCopies(int limit) {
        this.limit = limit;
    }

    /** Keeps {@code m} (its id is above every kept one's); false if {@code limit} are kept already. */
    synchronized boolean add(GroupMessage m) {
        if (copies.size() >= limit) {
            return false;
        }
        copies.addLast(m);
        return true;
    }

    /**
     * Takes the copy of message {@code id}, or null if none is kept. Copies of earlier messages
     * are dropped: their orders came before this one's (FIFO per sender), so none will claim them.
     */
    synchronized GroupMessage take(long id) {
        GroupMessage head = copies.peekFirst();
        while (head != null && head.messageId() < id) {
            copies.pollFirst();
            stale++;
            head = copies.peekFirst();
        }
        return head != null && head.messageId() == id ? copies.pollFirst() : null;
    }

    /** Copies dropped because a later own message came back first (none, unless the rules drift apart). */
    synchronized long stale() {
        return stale;
    }

    /** Drops the copy just added (its send was refused). */
    synchronized void dropLast(GroupMessage m) {
        if (copies.peekLast() == m) {
            copies.pollLast();
        } else {
            copies.remove(m);
        }
    }

    synchronized int size() {
        return copies.size();
    }

    synchronized void clear() {
        copies.clear();
    }
}
