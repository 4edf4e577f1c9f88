package org.troupe.server.events;

import org.omg.CORBA.Any;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that feeds one push consumer: takes batches from its subscription and hands
 * them to its sink, one call at a time, so the consumer sees events in queue order. Before every
 * call (every event for the standard {@code push}, every batch for {@code push_batch}) it checks
 * that the consumer is still connected: no call starts after a disconnect. Events count as
 * delivered only once their call returned normally; the events of a failed call, and those taken
 * but not sent because the consumer went first, count as dropped. When the consumer is gone, the
 * subscription is evicted and the thread ends; it also ends when the subscription is closed.
 */
public final class PushDispatcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PushDispatcher.class);
    private static final long IDLE_WAIT_NANOS = EventQueue.millis(500);

    private final Subscription subscription;
    private final EventSink sink;
    private final int batchMax;

    public PushDispatcher(Subscription subscription, EventSink sink, int batchMax) {
        this.subscription = subscription;
        this.sink = sink;
        this.batchMax = batchMax;
    }

    /** Starts the dispatcher on its own daemon thread. */
    public Thread start(String threadName) {
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        Any[] batch = new Any[batchMax];
        try {
            while (true) {
                int n = subscription.takeForPush(batch, batchMax, IDLE_WAIT_NANOS);
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    continue;
                }
                try {
                    if (!deliver(batch, n)) {
                        return;
                    }
                } finally {
                    java.util.Arrays.fill(batch, 0, n, null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) { // the thread ends, but the consumer is cut off and told, never left stalled
            try {
                LOG.error("{}: dispatcher failed", subscription.label(), e);
                subscription.evict("internal error: " + e, true);
            } catch (Throwable again) { // out of memory, say: the subscription's close is the last resort
                subscription.close();
            }
        }
    }

    /** Pushes {@code batch[0..n)} call by call; false once the consumer is disconnected or gone. */
    private boolean deliver(Any[] batch, int n) {
        int perCall = Math.max(1, sink.eventsPerCall());
        int done = 0;
        try {
            while (done < n) {
                int k = Math.min(perCall, n - done);
                if (!subscription.beginPush()) { // disconnected: what is left of the batch is not sent
                    subscription.countLost(n - done);
                    return false;
                }
                boolean accepted;
                long t0 = System.nanoTime();
                try {
                    if (org.troupe.trace.HopTrace.ON) {
                        org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.PUSH_START);
                    }
                    accepted = sink.push(batch, done, k);
                    if (org.troupe.trace.HopTrace.ON) {
                        org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.PUSH_END);
                    }
                } finally {
                    subscription.endPush();
                }
                subscription.recordCall(System.nanoTime() - t0);
                if (accepted) {
                    subscription.countDelivered(k);
                } else {
                    subscription.countLost(k);
                }
                done += k;
            }
            return true;
        } catch (ConsumerGoneException e) {
            subscription.countLost(n - done);
            LOG.warn("{}: consumer gone while pushing ({} events not delivered): {}", subscription.label(), n - done,
                    e.getMessage());
            subscription.evict(e.getMessage(), e.tellWhenReachable());
            return false;
        } catch (RuntimeException | Error e) {
            subscription.countLost(n - done);
            LOG.error("{}: dispatcher failed", subscription.label(), e);
            subscription.evict("internal error: " + e, true);
            return false;
        }
    }
}
