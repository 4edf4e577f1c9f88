package org.troupe.server.groups;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds a sender back while the group's channel is full, before it takes the group's lock and
 * never inside it: views, the reaper and every other call never wait behind a sender that a slow
 * member holds back. One sender waits at a time, so at most one call goes ahead per flow time-out.
 */
public final class FlowGate {

    /** The channel's flow control, as the gate sees it. */
    public interface Flow {
        /** True if a supplier may publish now. */
        boolean open();

        /** Waits at most {@code maxNanos} until it would be open; false if the time ran out. */
        boolean await(long maxNanos) throws InterruptedException;

        /** The longest one call waits. */
        long timeoutNanos();

        /** Counts a call that went ahead because the time-out ran out. */
        void timedOut();
    }

    private final Flow flow;
    private final ReentrantLock gate = new ReentrantLock();

    public FlowGate(Flow flow) {
        this.flow = flow;
    }

    /**
     * Takes {@code lock} once flow control lets a sender publish, or its time-out has run out:
     * waits outside the lock, and checks again inside it, since another sender may have published
     * in between.
     */
    public void lockWhenOpen(ReentrantLock lock) throws InterruptedException {
        lock.lock();
        if (flow.open()) {
            return; // the usual case
        }
        lock.unlock();
        gate.lockInterruptibly();
        try {
            long deadline = System.nanoTime() + flow.timeoutNanos();
            while (true) {
                boolean open = flow.await(deadline - System.nanoTime());
                lock.lock();
                if (!open) {
                    flow.timedOut();
                    return;
                }
                if (flow.open()) {
                    return;
                }
                lock.unlock();
            }
        } finally {
            gate.unlock();
        }
    }

    /**
     * Waits, outside any lock, until flow control would let a sender publish or its time-out
     * has run out (counted): for a group whose commands are applied elsewhere (a replicated
     * log), where the wait cannot sit just before a lock. One sender waits at a time.
     */
    public void awaitOpen() throws InterruptedException {
        if (flow.open()) {
            return;
        }
        gate.lockInterruptibly();
        try {
            if (!flow.await(flow.timeoutNanos())) {
                flow.timedOut();
            }
        } finally {
            gate.unlock();
        }
    }
}
