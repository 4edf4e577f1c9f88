package org.troupe.eventclient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.omg.CORBA.Any;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.omg.CosEventComm.Disconnected;
import org.troupe.cdr.FastAny;
import org.troupe.cdr.FastPush;
import org.troupe.idl.Events.BatchPushConsumer;
import org.troupe.idl.Events.BatchPushConsumerHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push supplier for any CosEvent channel. {@link #publish} queues the event (bounded) and a
 * sender thread pushes in order: with {@code push_batch} when the channel's proxy supports it
 * (Troupe), else with one {@code push} per event (any standard channel). Batches form naturally:
 * the sender takes whatever has queued up while the previous call was in flight.
 */
public final class ChannelPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelPublisher.class);

    private final org.omg.CORBA.ORB orb;
    private final ProxyPushConsumer proxy;
    private final BatchPushConsumer batchProxy;
    private final ArrayBlockingQueue<Any> queue;
    private final int batchMax;
    private final Thread sender;
    private final Object idle = new Object();
    private int inFlight;
    private volatile boolean closing;
    private volatile Throwable failure;

    private ChannelPublisher(org.omg.CORBA.ORB orb, ProxyPushConsumer proxy, int capacity, int batchMax) {
        this.orb = orb;
        this.proxy = proxy;
        this.batchProxy = proxy._is_a(BatchPushConsumerHelper.id())
                ? BatchPushConsumerHelper.unchecked_narrow(proxy) : null;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchMax = batchMax;
        this.sender = new Thread(this::sendLoop, "troupe-publisher");
        sender.setDaemon(true);
        sender.start();
    }

    /** Connects a new push supplier to {@code channel} (queue of 8192 events, batches of 512). */
    public static ChannelPublisher connect(org.omg.CORBA.ORB orb, EventChannel channel) throws Exception {
        return connect(orb, channel, 8192, 512);
    }

    /**
     * Connects a new push supplier.
     *
     * @param orb the client's ORB
     * @param capacity events that may wait to be sent before {@link #publish} blocks
     * @param batchMax most events per {@code push_batch}
     */
    public static ChannelPublisher connect(org.omg.CORBA.ORB orb, EventChannel channel, int capacity, int batchMax)
            throws Exception {
        ProxyPushConsumer proxy = channel.for_suppliers().obtain_push_consumer();
        proxy.connect_push_supplier(null);
        return new ChannelPublisher(orb, proxy, capacity, batchMax);
    }

    /** True if the channel supports Troupe's batch fast path. */
    public boolean batching() {
        return batchProxy != null;
    }

    /**
     * Queues one event; waits up to {@code timeoutMillis} while the queue is full.
     *
     * @throws TimeoutException the queue stayed full (the channel is not keeping up)
     * @throws IllegalStateException a previous push failed or the publisher is closed
     */
    public void publish(Any event, long timeoutMillis) throws TimeoutException, InterruptedException {
        checkUsable();
        if (!queue.offer(event, timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("publish: queue still full after " + timeoutMillis + " ms");
        }
    }

    /** Waits until everything queued so far was accepted by the channel. */
    public void flush(long timeoutMillis) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (idle) {
            while (!queue.isEmpty() || inFlight > 0) {
                checkUsable();
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new TimeoutException("flush: " + (queue.size() + inFlight) + " events still pending");
                }
                idle.wait(Math.min(left, 100));
            }
        }
        checkUsable();
    }

    private void checkUsable() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("publisher failed: " + f, f);
        }
        if (closing) {
            throw new IllegalStateException("publisher closed");
        }
    }

    private void sendLoop() {
        List<Any> batch = new ArrayList<>(batchMax);
        try {
            while (!closing || !queue.isEmpty()) {
                Any first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchMax - 1);
                synchronized (idle) {
                    inFlight = batch.size();
                }
                send(batch);
                batch.clear();
                synchronized (idle) {
                    inFlight = 0;
                    idle.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Disconnected | RuntimeException e) {
            failure = e;
            LOG.warn("publisher stopped: {}", e.toString());
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private void send(List<Any> batch) throws Disconnected {
        if (batchProxy != null) {
            Any[] events = new Any[batch.size()];
            for (int i = 0; i < events.length; i++) {
                events[i] = FastAny.of(orb, batch.get(i)); // bulk marshalling, see FastAny
            }
            FastPush.pushBatch(orb, batchProxy, events, events.length);
        } else {
            for (Any a : batch) {
                proxy.push(a);
            }
        }
    }

    /** Flushes (up to 5 s), then disconnects from the channel. */
    @Override
    public void close() {
        try {
            if (failure == null) {
                flush(5000);
            }
        } catch (TimeoutException | IllegalStateException e) {
            LOG.warn("closing with unsent events: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closing = true;
        sender.interrupt();
        try {
            proxy.disconnect_push_consumer();
        } catch (org.omg.CORBA.SystemException e) {
            LOG.debug("disconnect_push_consumer: {}", e.toString());
        }
    }
}
