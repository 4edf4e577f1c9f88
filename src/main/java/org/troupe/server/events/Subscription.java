package org.troupe.server.events;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.omg.CORBA.Any;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected consumer's place in a channel: its bounded queue, its counters and its fate when
 * the queue overflows. Push consumers drain it with a {@link PushDispatcher}; pull consumers
 * drain it through their {@code pull} calls.
 */
public final class Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    private final EventChannelCore channel;
    private final String label;
    private final EventQueue queue;
    private final QueuePolicy policy;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastProgressNanos = System.nanoTime();
    /** Smoothed duration of this consumer's push calls (0 until measured; pull consumers: 0). */
    private volatile long callNanosEwma;
    private volatile EvictionHandler onEvicted = (reason, tell) -> { };
    private final EventFilter filter;
    private final AtomicLong filtered = new AtomicLong();
    private final DisconnectBarrier barrier = new DisconnectBarrier();

    Subscription(EventChannelCore channel, String label, int capacity, QueuePolicy policy, EventWeight weight,
            EventFilter filter) {
        this.filter = filter;
        this.channel = channel;
        this.label = label;
        this.queue = new EventQueue(capacity, weight);
        this.policy = policy;
    }

    /** Who this consumer is, for logs: channel and proxy. */
    public String label() {
        return label;
    }

    /** What to do, once, when the channel cuts this consumer off. */
    @FunctionalInterface
    public interface EvictionHandler {
        /**
         * @param reason why, for logs and the operator
         * @param tellConsumer true if the consumer should be told as soon as it answers (queue
         *     overflow; a push that outlived the reply time-out or could not reach it: it may be
         *     stopped, and answer later); false if it is gone for good (no such object, dead) or
         *     said itself that it disconnected
         */
        void evicted(String reason, boolean tellConsumer);
    }

    /** Sets the action run once when the channel cuts this consumer off. */
    public void onEvicted(EvictionHandler action) {
        this.onEvicted = action;
    }

    public boolean isActive() {
        return active.get();
    }

    public long delivered() {
        return delivered.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** What this consumer's queue holds, in {@link EventWeight weight} (events, on an ordinary channel). */
    public int queued() {
        return queue.size();
    }

    int capacity() {
        return queue.capacity();
    }

    /** The filter this consumer's events go through (null: none). */
    EventFilter filter() {
        return filter;
    }

    /** Events this consumer's filter kept from it entirely (narrowed list events are not counted). */
    public long filtered() {
        return filtered.get();
    }

    void enqueue(Any[] events, int n) {
        if (filter != null) {
            Any[] kept = new Any[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                Any e = filter.apply(events[i]);
                if (e != null) {
                    kept[k++] = e;
                }
            }
            if (k < n) {
                filtered.addAndGet(n - k);
                if (k == 0) {
                    return;
                }
            }
            events = kept; // some may have been narrowed
            n = k;
        }
        int lost = queue.offer(events, n, policy);
        if (lost == 0 || !active.get()) {
            return;
        }
        if (policy == QueuePolicy.DISCONNECT) {
            evict("queue full (" + queue.capacity() + " events): consumer too slow or stopped", true);
        } else {
            long before = dropped.getAndAdd(lost);
            channel.countDropped(lost);
            if (Long.numberOfLeadingZeros(before) != Long.numberOfLeadingZeros(before + lost) || before == 0) {
                // log at 1, 2, 4, 8 ... drops: visible without flooding
                LOG.warn("{}: queue full, {} events dropped so far ({})", label, before + lost, policy.cliName());
            }
        }
    }

    /**
     * Queues events for this consumer alone, through its filter, as a publish would (a member
     * that resumes gets what it missed before the events published from now on).
     */
    public void offer(Any[] events) {
        if (events.length > 0) {
            enqueue(events, events.length);
        }
    }

    /**
     * Takes up to {@code max} weight of events (at least one event), waiting at most
     * {@code timeoutNanos}; returns how many events, or -1 once this subscription is closed. For
     * pull consumers: what is taken counts as delivered (the pull call returns it).
     */
    public int take(Any[] out, int max, long timeoutNanos) throws InterruptedException {
        int n = queue.take(out, max, timeoutNanos);
        afterTake(n);
        if (n > 0) {
            countDelivered(n);
        }
        return n;
    }

    /**
     * As {@link #take}, for a push dispatcher: what is taken is not counted yet; the dispatcher
     * counts each push call's events as delivered or lost once the call has ended.
     */
    int takeForPush(Any[] out, int max, long timeoutNanos) throws InterruptedException {
        int n = queue.take(out, max, timeoutNanos);
        afterTake(n);
        return n;
    }

    /** Before one push call: false once disconnected (no push call starts after that). */
    boolean beginPush() {
        return barrier.enter();
    }

    /** After one push call, however it ended. */
    void endPush() {
        barrier.exit();
    }

    /**
     * After a disconnect: waits until the push call in flight to this consumer, if any, has ended
     * (returned or failed), at most {@code maxNanos}; true if none is in flight any more.
     */
    public boolean awaitNoPushInFlight(long maxNanos) throws InterruptedException {
        return barrier.awaitIdle(maxNanos);
    }

    /**
     * After a disconnect: runs {@code action} once no push call to this consumer is in flight,
     * at once or on the dispatcher's thread when its call ends (it must not block).
     */
    public void afterLastPush(Runnable action) {
        barrier.whenIdle(action);
    }

    /** Events a push call handed over: the call returned normally. */
    void countDelivered(int n) {
        delivered.addAndGet(n);
        channel.countDelivered(n);
    }

    /** Events lost: their push call failed, or they were taken and the consumer went first. */
    void countLost(int n) {
        dropped.addAndGet(n);
        channel.countDropped(n);
    }

    /**
     * Takes up to {@code max} weight of events (at least one event) without waiting; -1 once
     * closed. What is taken counts as delivered (a pull call returns it).
     */
    public int poll(Any[] out, int max) {
        int n = queue.poll(out, max);
        afterTake(n);
        if (n > 0) {
            countDelivered(n);
        }
        return n;
    }

    /** When this consumer last took events (or connected). */
    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * Records how long one push call to this consumer took; a call that ended is progress (a
     * consumer served one event per call takes a whole batch from its queue at once).
     */
    void recordCall(long nanos) {
        lastProgressNanos = System.nanoTime();
        long e = callNanosEwma;
        callNanosEwma = e == 0 ? nanos : e + (nanos - e) / 8;
    }

    /**
     * How long this consumer may take no events before it stops holding suppliers back: 8 times
     * its usual push call, at least 10 ms, at most {@code maxNanos} (and {@code maxNanos} until
     * a call was measured, and for pull consumers).
     */
    long stallNanos(long maxNanos) {
        long e = callNanosEwma;
        return e == 0 ? maxNanos : Math.min(maxNanos, Math.max(10_000_000L, 8 * e));
    }

    private void afterTake(int n) {
        if (n >= 0) {
            lastProgressNanos = System.nanoTime();
        }
        if (n > 0) {
            channel.consumerProgressed(queue.size());
        }
    }

    /** The channel cuts this consumer off; the eviction handler decides how it is told. */
    public void evict(String reason, boolean tellConsumer) {
        if (close()) {
            channel.countEvicted();
            LOG.warn("{}: disconnected: {}", label, reason);
            onEvicted.evicted(reason, tellConsumer);
        }
    }

    /**
     * Closes the subscription (normal disconnect or eviction): no push call to the consumer starts
     * from now on; removes it from the channel and discards what was queued. Returns false if it
     * was already closed.
     */
    public boolean close() {
        if (!active.compareAndSet(true, false)) {
            return false;
        }
        barrier.close();
        channel.remove(this);
        int discarded = queue.close();
        if (discarded > 0) {
            dropped.addAndGet(discarded);
            channel.countDropped(discarded);
            LOG.info("{}: {} queued events discarded on disconnect", label, discarded);
        }
        channel.consumerProgressed(0);
        return true;
    }
}
