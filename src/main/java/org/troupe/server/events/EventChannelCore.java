package org.troupe.server.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.omg.CORBA.Any;

/**
 * The fan-out heart of one event channel, free of POA concerns: suppliers {@link #publish}
 * batches; every connected consumer gets its own copy of the references in its own bounded
 * {@link Subscription} queue. Queues and the flow watermark count {@link EventWeight weight}:
 * events on a standard channel, messages on a group's channel.
 *
 * <p>Flow control (credit-like, as JGroups' MFC): a publish waits while a <em>responsive</em>
 * consumer's queue holds more than the flow watermark, for at most the flow time-out. A consumer
 * is responsive while it has taken events within its stall time (8 times its usual push call,
 * between 10 ms and the configured stall); one that is stopped, dead or stuck in a call stops
 * holding suppliers back after that short time, keeps its queue, and meets
 * its {@link QueuePolicy} only if it falls a whole queue behind. So suppliers go at the pace of
 * the slowest consumer that keeps up, and nothing loses events while everyone keeps up.
 *
 * <p>Order: events of one publish call are queued contiguously, and a supplier's calls are
 * handled one after the other, so each consumer sees each supplier's events in push order.
 */
public final class EventChannelCore {

    private final String name;
    private final ChannelSettings settings;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final LongAdder eventsIn = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong flowTimeouts = new AtomicLong();
    /** Publishes that found flow control closed and waited (counted on the slow path only). */
    private final AtomicLong flowWaits = new AtomicLong();
    private final ReentrantLock flowLock = new ReentrantLock();
    private final Condition flowOpen = flowLock.newCondition();
    private volatile int flowWaiters;
    private final EventWeight weight;

    /** A standard channel: every event weighs 1. */
    public EventChannelCore(String name, ChannelSettings settings) {
        this(name, settings, EventWeight.ONE);
    }

    /**
     * A channel whose queue capacity, flow watermark and push batches are counted in
     * {@code weight} (a group's channel: messages, a list event weighing as many as it carries).
     */
    public EventChannelCore(String name, ChannelSettings settings, EventWeight weight) {
        this.name = name;
        this.settings = settings;
        this.weight = weight;
    }

    public String name() {
        return name;
    }

    public ChannelSettings settings() {
        return settings;
    }

    /** Adds a consumer; it receives the events published from now on. */
    public Subscription subscribe(String proxyLabel) {
        return subscribe(proxyLabel, null);
    }

    /**
     * Adds a consumer that receives what {@code filter} makes of each event (null: every event as
     * it is), from now on. The filter runs on the publisher's thread, once per event: keep it cheap.
     */
    public Subscription subscribe(String proxyLabel, EventFilter filter) {
        Subscription s = new Subscription(this, "channel " + name + " " + proxyLabel,
                settings.queueCapacity(), settings.queuePolicy(), weight, filter);
        subscriptions.add(s);
        wakeFlowWaiters(); // a pull supplier's poller may be waiting for a first consumer
        return s;
    }

    void remove(Subscription s) {
        subscriptions.remove(s);
    }

    /**
     * Queues {@code events[0..n)} for every consumer. Waits (bounded) for flow control first.
     * The array is not kept.
     */
    public void publish(Any[] events, int n) throws InterruptedException {
        if (n <= 0) {
            return;
        }
        if (!awaitFlow(flowTimeoutNanos())) {
            countFlowTimeout();
        }
        publishNow(events, n);
    }

    /** Queues {@code events[0..n)} for every consumer at once, without flow control. */
    public void publishNow(Any[] events, int n) {
        if (n <= 0) {
            return;
        }
        eventsIn.add(n);
        for (Subscription s : subscriptions) {
            s.enqueue(events, n);
        }
    }

    private boolean flowBlocked() {
        int watermark = settings.flowWatermark();
        long now = System.nanoTime();
        long stall = TimeUnit.MILLISECONDS.toNanos(settings.stallMillis());
        for (Subscription s : subscriptions) {
            int q = s.queued();
            if (q > watermark && q < s.capacity() && now - s.lastProgressNanos() < s.stallNanos(stall)) {
                return true;
            }
        }
        return false;
    }

    /**
     * For a publisher that must not wait for flow control inside its own lock: waits, at most
     * {@code maxNanos}, until flow control would let a supplier publish; returns true if it does
     * (false: the time ran out). The publisher then takes its lock, checks {@link #flowOpen()}
     * again (another may have published meanwhile), and publishes with {@link #publishNow}, or
     * lets go of its lock and waits again with the time it has left.
     */
    public boolean awaitFlow(long maxNanos) throws InterruptedException {
        if (!flowBlocked()) {
            return true;
        }
        flowWaits.incrementAndGet();
        long left = maxNanos;
        long recheck = Math.max(1, TimeUnit.MILLISECONDS.toNanos(settings.stallMillis()) / 4);
        flowLock.lock();
        try {
            flowWaiters++;
            try {
                while (flowBlocked()) {
                    if (left <= 0) {
                        return false;
                    }
                    // woken by a consumer's progress; re-checked often enough to notice a stall
                    long waited = Math.min(left, recheck);
                    left -= waited - flowOpen.awaitNanos(waited);
                }
            } finally {
                flowWaiters--;
            }
        } finally {
            flowLock.unlock();
        }
        return true;
    }

    /**
     * For a channel that pulls its events (a pull supplier's poller): waits, at most
     * {@code maxNanos}, until some consumer is connected and flow control would let a supplier
     * publish; returns true if so. A pull supplier is thus not pulled while nobody would get its
     * events, nor faster than the consumers that keep up take them.
     */
    public boolean awaitDemand(long maxNanos) throws InterruptedException {
        if (!subscriptions.isEmpty() && !flowBlocked()) {
            return true;
        }
        long left = maxNanos;
        long recheck = Math.max(1, TimeUnit.MILLISECONDS.toNanos(settings.stallMillis()) / 4);
        flowLock.lock();
        try {
            flowWaiters++;
            try {
                while (subscriptions.isEmpty() || flowBlocked()) {
                    if (left <= 0) {
                        return false;
                    }
                    long waited = Math.min(left, recheck);
                    left -= waited - flowOpen.awaitNanos(waited);
                }
            } finally {
                flowWaiters--;
            }
        } finally {
            flowLock.unlock();
        }
        return true;
    }

    private void wakeFlowWaiters() {
        if (flowWaiters > 0) {
            flowLock.lock();
            try {
                flowOpen.signalAll();
            } finally {
                flowLock.unlock();
            }
        }
    }

    /** True if flow control would let a supplier publish now. */
    public boolean flowOpen() {
        return !flowBlocked();
    }

    /** Counts a publish that went ahead because flow control's time-out ran out. */
    public void countFlowTimeout() {
        flowTimeouts.incrementAndGet();
    }

    /** The flow time-out: the longest one publish waits for flow control. */
    public long flowTimeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(settings.flowTimeoutMillis());
    }

    void consumerProgressed(int queuedNow) {
        if (flowWaiters > 0 && queuedNow <= settings.flowWatermark()) {
            flowLock.lock();
            try {
                flowOpen.signalAll();
            } finally {
                flowLock.unlock();
            }
        }
    }

    void countDelivered(int n) {
        delivered.add(n);
    }

    void countDropped(int n) {
        dropped.add(n);
    }

    void countEvicted() {
        evicted.incrementAndGet();
    }

    /**
     * One consumer as an operator sees it: its filter (through which the channel's owner knows
     * who it is), what its queue holds and can hold, and whether it keeps up: false when its queue
     * is past the flow watermark and it took nothing for its stall time.
     */
    public record ConsumerState(EventFilter filter, int queued, int capacity, boolean keepingUp) {
    }

    /** Every connected consumer now. */
    public List<ConsumerState> consumers() {
        long now = System.nanoTime();
        long stall = TimeUnit.MILLISECONDS.toNanos(settings.stallMillis());
        List<ConsumerState> out = new java.util.ArrayList<>(subscriptions.size());
        for (Subscription s : subscriptions) {
            int q = s.queued();
            boolean keepingUp = q <= settings.flowWatermark() || now - s.lastProgressNanos() < s.stallNanos(stall);
            out.add(new ConsumerState(s.filter(), q, s.capacity(), keepingUp));
        }
        return out;
    }

    /** The deepest consumer queue now (0: none), in this channel's weight. */
    public int deepestQueue() {
        int max = 0;
        for (Subscription s : subscriptions) {
            max = Math.max(max, s.queued());
        }
        return max;
    }

    public int consumerCount() {
        return subscriptions.size();
    }

    public long eventsIn() {
        return eventsIn.sum();
    }

    public long eventsDelivered() {
        return delivered.sum();
    }

    public long eventsDropped() {
        return dropped.sum();
    }

    public long consumersEvicted() {
        return evicted.get();
    }

    public long flowTimeouts() {
        return flowTimeouts.get();
    }

    /** Publishes that found flow control closed and waited for it ({@link #awaitFlow}). */
    public long flowWaits() {
        return flowWaits.get();
    }

    /** Closes every subscription (the caller tells the consumers). */
    public void closeAll() {
        for (Subscription s : subscriptions) {
            s.close();
        }
    }
}
