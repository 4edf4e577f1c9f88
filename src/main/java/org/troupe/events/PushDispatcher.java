package org.troupe.events;

import org.omg.CORBA.Any;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that feeds one push consumer: takes batches from its subscription and hands
 * them to its sink, one call at a time, so the consumer sees events in queue order. When the
 * consumer is gone, the subscription is evicted and the thread ends; it also ends when the
 * subscription is closed.
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
                int n = subscription.take(batch, batchMax, IDLE_WAIT_NANOS);
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    sink.deliver(batch, n);
                    subscription.recordCall(System.nanoTime() - t0);
                } catch (ConsumerGoneException e) {
                    LOG.warn("{}: consumer gone while pushing {} events: {}", subscription.label(), n, e.getMessage());
                    subscription.evict(e.getMessage(), false);
                    return;
                } finally {
                    java.util.Arrays.fill(batch, 0, n, null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("{}: dispatcher failed", subscription.label(), e);
            subscription.evict("internal error: " + e, true);
        }
    }
}
