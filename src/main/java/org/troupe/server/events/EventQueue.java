package org.troupe.server.events;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.omg.CORBA.Any;

/**
 * A bounded FIFO ring of events for one consumer. Suppliers add batches, the consumer's
 * dispatcher (or pull calls) take batches; each side takes the lock once per batch. Its capacity
 * and size are in {@link EventWeight weight}: events on an ordinary channel (1 each), messages on
 * a group's channel.
 *
 * <p>The ring is allocated as it fills: it starts at {@value #INITIAL_SLOTS} slots, doubles when
 * full up to the capacity, and shrinks back when it empties, so that an idle consumer holds a few
 * hundred octets instead of a whole queue (64 Ki slots of references and weights are 512 KiB).
 */
final class EventQueue {

    /** Slots of a new or emptied ring. */
    static final int INITIAL_SLOTS = 16;
    /** A ring larger than this goes back to {@link #INITIAL_SLOTS} once it is empty. */
    static final int KEEP_SLOTS = 1024;

    private Any[] ring;
    private int[] weights;
    private final int capacity;
    private final EventWeight weight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private int head;
    private int count; // events
    private volatile int size; // their weight
    private boolean closed;

    EventQueue(int capacity) {
        this(capacity, EventWeight.ONE);
    }

    /** A queue of {@code capacity} weight (every event weighs at least 1, so at most that many events). */
    EventQueue(int capacity, EventWeight weight) {
        this.ring = new Any[Math.min(capacity, INITIAL_SLOTS)];
        this.weights = new int[ring.length];
        this.capacity = capacity;
        this.weight = weight;
    }

    int capacity() {
        return capacity;
    }

    /** Slots allocated now (for tests and statistics). */
    int allocated() {
        lock.lock();
        try {
            return ring.length;
        } finally {
            lock.unlock();
        }
    }

    /** Makes room for {@code more} events: the ring doubles (or more), never past the capacity. */
    private void ensureSlotsLocked(int more) {
        int needed = count + more;
        if (needed <= ring.length) {
            return;
        }
        int slots = (int) Math.min(capacity, Math.max(needed, 2L * ring.length));
        resizeLocked(slots);
    }

    private void resizeLocked(int slots) {
        Any[] r = new Any[slots];
        int[] w = new int[slots];
        for (int i = 0, j = head; i < count; i++, j = j + 1 == ring.length ? 0 : j + 1) {
            r[i] = ring[j];
            w[i] = weights[j];
        }
        ring = r;
        weights = w;
        head = 0;
    }

    /** The weight queued now (a racy read, good for flow control and statistics). */
    int size() {
        return size;
    }

    /**
     * Adds {@code events[0..n)} in order.
     *
     * @return how many events did not fit: with {@link QueuePolicy#DROP_OLDEST} that many old
     *     events were dropped to make room (and, if the batch alone outweighs the queue, its
     *     first events); otherwise that many of the new ones were not queued (the first ones that
     *     fit were). Returns {@code n} if the queue is closed.
     */
    int offer(Any[] events, int n, QueuePolicy policy) {
        int[] w = new int[n];
        int added = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Math.max(1, weight.of(events[i]));
            added += w[i];
        }
        lock.lock();
        try {
            if (closed) {
                return n;
            }
            int lost = 0;
            int from = 0;
            int to = n;
            if (size + added > capacity) {
                if (policy == QueuePolicy.DROP_OLDEST) {
                    while (count > 0 && size + added > capacity) {
                        dropHeadLocked();
                        lost++;
                    }
                    while (added > capacity) { // only the newest events that fit stay
                        added -= w[from++];
                        lost++;
                    }
                } else {
                    int room = capacity - size;
                    int fit = 0;
                    while (fit < n && w[fit] <= room) {
                        room -= w[fit++];
                    }
                    lost = n - fit;
                    to = fit;
                }
            }
            ensureSlotsLocked(to - from);
            int tail = (head + count) % ring.length;
            int queued = 0;
            for (int i = from; i < to; i++) {
                ring[tail] = events[i];
                weights[tail] = w[i];
                queued += w[i];
                tail = tail + 1 == ring.length ? 0 : tail + 1;
            }
            count += to - from;
            size = size + queued;
            if (to > from) {
                notEmpty.signalAll();
            }
            return lost;
        } finally {
            lock.unlock();
        }
    }

    private void dropHeadLocked() {
        ring[head] = null;
        size = size - weights[head];
        head = head + 1 == ring.length ? 0 : head + 1;
        count--;
    }

    /**
     * Takes up to {@code max} weight of events (at least one event) into {@code out}, waiting at
     * most {@code timeoutNanos} for the first one.
     *
     * @return the number of events taken (0 on time-out), or -1 once the queue is closed
     */
    int take(Any[] out, int max, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (count == 0 && !closed) {
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

    /** Takes up to {@code max} weight of events (at least one) without waiting; -1 once closed. */
    int poll(Any[] out, int max) {
        lock.lock();
        try {
            return closed ? -1 : drainLocked(out, max);
        } finally {
            lock.unlock();
        }
    }

    private int drainLocked(Any[] out, int max) {
        if (max <= 0) {
            return 0;
        }
        int limit = Math.min(out.length, count);
        int n = 0;
        int taken = 0;
        while (n < limit && (n == 0 || taken + weights[head] <= max)) {
            taken += weights[head];
            out[n++] = ring[head];
            ring[head] = null;
            head = head + 1 == ring.length ? 0 : head + 1;
        }
        count -= n;
        size = size - taken;
        if (count == 0 && ring.length > KEEP_SLOTS) { // a burst is over: give its memory back
            ring = new Any[INITIAL_SLOTS];
            weights = new int[INITIAL_SLOTS];
            head = 0;
        }
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
            int discarded = count;
            ring = new Any[0];
            weights = new int[0];
            head = 0;
            count = 0;
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
