package org.troupe.member;

import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * Push delivery on the thread that delivers ({@link JoinOptions#listenerInline}): the member's
 * stack hands each delivery straight to the listener, with no thread of the group's own between
 * them, one at a time and in order. A delivery that comes while the listener runs (from another
 * thread, or from the listener itself, say by closing the group) waits here and follows when the
 * listener returns. Deliveries that come before the group handle exists (after the join's ticket,
 * before {@code join} returns) wait here too, at most {@code capacity}, and go first once
 * {@link #bind} is called; past that the stack is told there is no room, as with a full queue.
 */
final class InlineDelivery implements Predicate<Object> {
    private final GroupListener listener;
    private final int capacity;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private Receiver receiver; // guarded by this, as the rest
    private boolean dispatching;
    private boolean over;

    InlineDelivery(GroupListener listener, int capacity) {
        this.listener = listener;
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean test(Object delivery) {
        if (over) {
            return true; // the member's end was delivered: nothing follows it
        }
        if (waiting.size() >= capacity) {
            return false;
        }
        waiting.add(delivery);
        drain();
        return true;
    }

    /** The group handle exists: what waited goes to the listener now, on this thread. */
    synchronized void bind(Receiver r) {
        receiver = r;
        drain();
    }

    private void drain() {
        if (receiver == null || dispatching) {
            return; // not bound yet, or the listener's own call: the running drain takes it
        }
        dispatching = true;
        try {
            Object next;
            while (!over && (next = waiting.poll()) != null) {
                over = !receiver.dispatch(listener, next);
            }
        } finally {
            dispatching = false;
        }
    }
}
