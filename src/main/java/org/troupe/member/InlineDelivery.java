package org.troupe.member;

import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * Push delivery on the thread that delivers ({@link JoinOptions#listenerInline}): the member's
 * stack hands each delivery straight to the listener, with no thread of the group's own between
 * them, one at a time and in order. A delivery that comes while the listener runs (from another
 * thread, or from the listener itself, say by closing the group) waits here and is handed over by
 * the thread that runs the listener, when it returns; no lock is held while the listener runs.
 * Deliveries that come before the group handle exists (after the join's ticket, before {@code
 * join} returns) wait here too, and go first once {@link #bind} is called. At most {@code
 * capacity} wait; past that the stack is told there is no room, as with a full queue.
 */
final class InlineDelivery implements Predicate<Object> {
    private final GroupListener listener;
    private final int capacity;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private volatile Receiver receiver; // set once, under the lock, as the rest is guarded by it
    private boolean dispatching;
    private boolean over;

    InlineDelivery(GroupListener listener, int capacity) {
        this.listener = listener;
        this.capacity = capacity;
    }

    @Override
    public boolean test(Object delivery) {
        synchronized (this) {
            if (over) {
                return true; // the member's end was delivered: nothing follows it
            }
            if (waiting.size() >= capacity) {
                return false;
            }
            waiting.add(delivery);
            if (!startDispatching()) {
                return true; // not bound yet, or another call is dispatching: it takes this one too
            }
        }
        dispatchWaiting();
        return true;
    }

    /** The group handle exists: what waited goes to the listener now, on this thread. */
    void bind(Receiver r) {
        synchronized (this) {
            receiver = r;
            if (!startDispatching()) {
                return;
            }
        }
        dispatchWaiting();
    }

    /** True if this thread is now the one that dispatches (called holding the lock). */
    private boolean startDispatching() {
        if (receiver == null || dispatching) {
            return false;
        }
        dispatching = true;
        return true;
    }

    /** Hands what waits to the listener, one at a time and outside the lock, until nothing waits. */
    private void dispatchWaiting() {
        while (true) {
            Object next;
            synchronized (this) {
                next = over ? null : waiting.poll();
                if (next == null) {
                    dispatching = false;
                    return;
                }
            }
            boolean goesOn = receiver.dispatch(listener, next);
            if (!goesOn) {
                synchronized (this) {
                    over = true;
                    waiting.clear();
                }
            }
        }
    }
}
