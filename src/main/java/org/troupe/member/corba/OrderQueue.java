package org.troupe.member.corba;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.stack.StackEvent;

/**
 * The sequencer holder's orders on their way to the server: a bounded queue drained by one
 * thread, which sends what queued during the previous call in the next one (at most {@link
 * #MAX_BATCH}). A call that fails fails the member (the exception's message is the reason). No
 * CORBA here: the transport gives the call ({@link Call}).
 */
public final class OrderQueue {
    private static final Logger LOG = LoggerFactory.getLogger(OrderQueue.class);
    /** The most orders one call carries (the server takes at most 4096). */
    static final int MAX_BATCH = 4096;

    /** One call to the server carrying these orders, in order. */
    @FunctionalInterface
    public interface Call {
        void order(List<StackEvent.Order> orders) throws Exception;
    }

    private final String group;
    private final BlockingQueue<StackEvent.Order> queue;
    private final long timeoutMillis;
    private final Call call;
    private final Consumer<String> onFailure;
    private volatile String failure;
    private volatile Thread thread;

    /**
     * @param capacity orders that may wait
     * @param timeoutMillis how long an order waits for room in a full queue
     * @param onFailure told the reason when a call fails (the member is out)
     */
    public OrderQueue(String group, int capacity, long timeoutMillis, Call call, Consumer<String> onFailure) {
        this.group = group;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.timeoutMillis = timeoutMillis;
        this.call = call;
        this.onFailure = onFailure;
    }

    /** Starts the thread. */
    public void start(String threadName) {
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Queues an order, waiting up to the time-out for room.
     *
     * @throws IllegalStateException the member is out, or the queue stayed full
     */
    public void put(StackEvent.Order o) {
        String f = failure;
        if (f != null) {
            throw new IllegalStateException(f);
        }
        try {
            if (!queue.offer(o, timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("group " + group + ": order queue full for " + timeoutMillis
                        + " ms (the server is not keeping up)");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending");
        }
    }

    /** The member is out or has left: no more orders; the thread ends (not waited for). */
    public void halt(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    /** Halts, and waits up to 2 s for the thread to end. */
    public void stop() {
        halt("closed");
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        List<StackEvent.Order> batch = new ArrayList<>();
        while (failure == null) {
            try {
                StackEvent.Order first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                call.order(batch);
            } catch (InterruptedException e) {
                return;
            } catch (Exception | Error e) {
                if (e instanceof Error) {
                    LOG.error("group {}: the orderer failed", group, e);
                }
                String reason = e.getMessage() != null ? e.getMessage() : "group " + group + ": order failed: " + e;
                halt(reason);
                onFailure.accept(reason);
            } finally {
                batch.clear();
            }
        }
    }
}
