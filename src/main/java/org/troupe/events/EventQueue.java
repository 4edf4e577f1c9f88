package org.troupe.events;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.omg.CORBA.Any;

/**
 * A bounded FIFO ring of events for one consumer. Suppliers add batches, the consumer's
 * dispatcher (or pull calls) take batches; each side takes the lock once per batch.
 */
final class EventQueue {

    private final Any[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private int head;
    private volatile int size;
    private boolean closed;

    EventQueue(int capacity) {
        this.ring = new Any[capacity];
    }

    int capacity() {
        return ring.length;
    }

    /** Events queued now (a racy read, good for flow control and statistics). */
    int size() {
        return size;
    }

    /**
     * Adds {@code events[0..n)} in order.
     *
     * @return how many events did not fit: with {@link QueuePolicy#DROP_OLDEST} that many old
     *     events were dropped to make room; otherwise that many of the new ones were not queued
     *     (the first ones that fit were). Returns {@code n} if the queue is closed.
     */
    int offer(Any[] events, int n, QueuePolicy policy) {
        lock.lock();
        try {
            if (closed) {
                return n;
            }
            int cap = ring.length;
            int s = size;
            int lost = 0;
            int from = 0;
            int count = n;
            int overflow = s + n - cap;
            if (overflow > 0) {
                if (policy == QueuePolicy.DROP_OLDEST) {
                    if (n >= cap) { // only the newest cap events stay
                        java.util.Arrays.fill(ring, null);
                        lost = overflow;
                        from = n - cap;
                        count = cap;
                        head = 0;
                        s = 0;
                    } else {
                        for (int i = 0; i < overflow; i++) {
                            ring[(head + i) % cap] = null;
                        }
                        head = (head + overflow) % cap;
                        s -= overflow;
                        lost = overflow;
                    }
                } else {
                    lost = overflow;
                    count = n - overflow;
                }
            }
            int tail = (head + s) % cap;
            for (int i = from; i < from + count; i++) {
                ring[tail] = events[i];
                tail = tail + 1 == cap ? 0 : tail + 1;
            }
            size = s + count;
            if (count > 0) {
                notEmpty.signalAll();
            }
            return lost;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code max} events into {@code out}, waiting at most {@code timeoutNanos} for
     * the first one.
     *
     * @return the number taken (0 on time-out), or -1 once the queue is closed
     */
    int take(Any[] out, int max, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (size == 0 && !closed) {
                if (left <= 0) {
                    return 0;
                }
                left = notEmpty.awaitNanos(left);
            }
            if (closed) {
                return -1;
            }
            return drainLocked(out, max);
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} events without waiting; -1 once closed. */
    int poll(Any[] out, int max) {
        lock.lock();
        try {
            return closed ? -1 : drainLocked(out, max);
        } finally {
            lock.unlock();
        }
    }

    private int drainLocked(Any[] out, int max) {
        int cap = ring.length;
        int n = Math.min(Math.min(max, out.length), size);
        for (int i = 0; i < n; i++) {
            out[i] = ring[head];
            ring[head] = null;
            head = head + 1 == cap ? 0 : head + 1;
        }
        size = size - n;
        return n;
    }

    /** Closes the queue: waiting takers return -1; returns how many events were discarded. */
    int close() {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            closed = true;
            int discarded = size;
            java.util.Arrays.fill(ring, null);
            size = 0;
            notEmpty.signalAll();
            return discarded;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
