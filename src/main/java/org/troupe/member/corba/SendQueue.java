package org.troupe.member.corba;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.GroupMessage;

/**
 * A member's messages on their way to the server, in message id order: a queue bounded in
 * messages and in payload octets ({@link OctetBudget}), drained by one sender thread. What queues
 * while a call is in flight goes in the next call, up to {@code maxBatch} messages, cut so that
 * no call carries more than {@link #CALL_PAYLOAD_BYTES} of payload unless one message alone does.
 * Calls never overlap, so the server gets the ids in order. A call that fails fails the member
 * (the exception's message is the reason); after that, or once the member is out, nothing more
 * is queued. No CORBA here: the transport gives the call ({@link Call}).
 */
public final class SendQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SendQueue.class);

    /**
     * One send call carries more than one message only while their payloads total at most this
     * (1 MiB): a batch of large messages goes in several calls rather than one huge request.
     */
    static final int CALL_PAYLOAD_BYTES = 1 << 20;

    /** One call to the server carrying these messages (consecutive ids, at least one). */
    @FunctionalInterface
    public interface Call {
        void send(List<GroupMessage> messages) throws Exception;
    }

    /**
     * Sizes and time-outs.
     *
     * @param messages messages that may wait to be sent
     * @param maxBatch the most messages one call carries
     * @param octets payload octets that may wait to be sent (see {@link OctetBudget})
     * @param timeoutMillis how long a message waits for room in a full queue, and how long a
     *        synchronous send or a flush waits for the queued messages to go first
     */
    public record Limits(int messages, int maxBatch, int octets, long timeoutMillis) {
        public Limits {
            if (messages < 1 || maxBatch < 1 || octets < 1 || timeoutMillis < 1) {
                throw new IllegalArgumentException("send queue, batch, bytes and time-out must be positive");
            }
        }
    }

    private final String group;
    private final Limits limits;
    private final Call call;
    private final Consumer<String> onFailure;
    private final BlockingQueue<GroupMessage> queue;
    private final OctetBudget octets; // payload octets the queue may still take
    private final AtomicInteger unsent = new AtomicInteger(); // queued or being sent (see flush)
    private final Object callLock = new Object(); // held around every call: ids reach the server in order
    private volatile boolean closing; // no more messages come: the thread drains the queue, then ends
    private volatile String failure;
    private volatile Thread thread;

    /**
     * @param onFailure told the reason when a call fails (the member is out)
     */
    public SendQueue(String group, Limits limits, Call call, Consumer<String> onFailure) {
        this.group = group;
        this.limits = limits;
        this.call = call;
        this.onFailure = onFailure;
        this.queue = new ArrayBlockingQueue<>(limits.messages());
        this.octets = new OctetBudget(limits.octets());
    }

    /** Starts the sender thread. */
    public void start(String threadName) {
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Queues a message within both bounds, waiting up to the time-out for room. It counts as
     * unsent (see {@link #flush}) from before the sender can see it until the call that carries
     * it has returned.
     *
     * @throws IllegalStateException the member is out, or the queue stayed full (the message says which)
     */
    public void put(GroupMessage m) {
        String f = failure;
        if (f != null) {
            throw new IllegalStateException(f);
        }
        long deadline = System.nanoTime() + limits.timeoutMillis() * 1_000_000L;
        int cost = octets.cost(m);
        boolean haveOctets = false;
        boolean queued = false;
        try {
            haveOctets = octets.take(cost, deadline - System.nanoTime());
            if (haveOctets) {
                unsent.incrementAndGet();
                queued = queue.offer(m, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending");
        } finally {
            if (haveOctets && !queued) {
                octets.giveBack(cost);
                unsent.decrementAndGet();
            }
        }
        if (!queued) {
            f = failure;
            throw new IllegalStateException(f != null ? f : "group " + group + ": send queue full for "
                    + limits.timeoutMillis() + " ms (" + (haveOctets ? limits.messages() + " messages"
                    : octets.limit() + " payload octets; this message needs " + cost)
                    + "): the server is not keeping up");
        }
    }

    /**
     * Runs {@code direct} (a call of its own) once every message queued before it has been sent,
     * holding the call lock, so that it reaches the server after them and before anything later.
     * What {@code direct} throws passes through.
     *
     * @throws IllegalStateException the member is out, or the earlier messages were not sent in time
     */
    public <T> T afterQueued(Callable<T> direct) throws Exception {
        String f = failure;
        if (f != null) {
            throw new IllegalStateException(f);
        }
        if (!flush(limits.timeoutMillis())) {
            f = failure;
            throw new IllegalStateException(f != null ? f : "group " + group + ": earlier messages not sent within "
                    + limits.timeoutMillis() + " ms");
        }
        synchronized (callLock) {
            return direct.call();
        }
    }

    /** Waits until every queued message has been sent, up to {@code timeoutMillis}; false if not (or out). */
    public boolean flush(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (queue) {
            while (unsent.get() > 0 && failure == null) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                try {
                    queue.wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return failure == null;
    }

    /** No more messages come (the member is leaving): the sender sends what is queued, then ends. */
    public void close() {
        closing = true;
    }

    /**
     * The member is out: nothing more is queued or sent, waiters give up, and the sender ends (it
     * is interrupted, unless this is its own thread; not waited for).
     */
    public void halt(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
        }
        closing = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
        synchronized (queue) {
            queue.notifyAll();
        }
    }

    /** Halts, and waits up to 2 s for the sender to end. */
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
        List<GroupMessage> batch = new ArrayList<>(limits.maxBatch());
        while (failure == null) {
            try {
                GroupMessage first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, limits.maxBatch() - 1);
                sendBatch(batch);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failed(e);
            } catch (Error e) {
                LOG.error("group {}: the sender failed", group, e);
                failed(new IllegalStateException("group " + group + ": the sender failed: " + e));
            } finally {
                octets.giveBack(batch);
                unsent.addAndGet(-batch.size());
                batch.clear();
                synchronized (queue) {
                    queue.notifyAll();
                }
            }
        }
    }

    private void failed(Exception e) {
        String reason = e.getMessage() != null ? e.getMessage() : "group " + group + ": send failed: " + e;
        halt(reason);
        onFailure.accept(reason);
    }

    /** Sends a drained batch in as few calls as {@link #CALL_PAYLOAD_BYTES} allows, in order. */
    private void sendBatch(List<GroupMessage> batch) throws Exception {
        int from = 0;
        while (from < batch.size()) {
            int to = callEnd(batch, from);
            synchronized (callLock) {
                call.send(batch.subList(from, to));
            }
            from = to;
        }
    }

    /** The end (exclusive) of the call that starts at {@code from}: payloads within the call limit. */
    static int callEnd(List<GroupMessage> batch, int from) {
        long bytes = batch.get(from).payload().length;
        int to = from + 1;
        while (to < batch.size() && bytes + batch.get(to).payload().length <= CALL_PAYLOAD_BYTES) {
            bytes += batch.get(to).payload().length;
            to++;
        }
        return to;
    }
}
