package org.troupe.hosted;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.wire.HostedIdl;

/**
 * A hosted member's deliveries on their way to its client, in order: a bounded queue the
 * member's stack fills (through its servant) and {@code receive} (pull) or the {@link CallbackPusher} (push)
 * drains. Once the member is out and the queue is empty, the next take
 * returns the CLOSED delivery, once.
 */
final class Outbox {
    /** Deliveries that may wait for a client. */
    static final int CAPACITY = 10_000;
    /** The most deliveries one receive or one callback call carries. */
    static final int MAX_BATCH = 1000;
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile String closedReason;
    private volatile boolean closedTaken;

    /** Adds a delivery, waiting up to {@code timeoutMillis} for room; false if there was none. */
    boolean put(Delivery d, long timeoutMillis) throws InterruptedException {
        return queue.offer(d, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The member is out: nothing more comes; {@code reason} is what the CLOSED delivery says. */
    void finish(String reason) {
        if (closedReason == null) {
            closedReason = reason;
        }
    }

    boolean finished() {
        return closedReason != null;
    }

    /** True once the CLOSED delivery was taken. */
    boolean drained() {
        return closedTaken;
    }

    /**
     * Up to {@code max} deliveries, waiting up to {@code waitMillis} for the first; empty if none
     * came. The CLOSED delivery is the last of all, alone or at the end of a batch.
     */
    List<Delivery> take(int max, long waitMillis) throws InterruptedException {
        List<Delivery> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            queue.drainTo(out, max);
            if (!out.isEmpty()) {
                break;
            }
            if (closedReason != null) {
                // nothing is put any more: anything put is in the queue already
                queue.drainTo(out, max);
                if (out.isEmpty() && !closedTaken) {
                    closedTaken = true;
                    out.add(HostedIdl.closed(closedReason));
                }
                return out;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            Delivery d = queue.poll(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
            if (d != null) {
                out.add(d);
                if (max > 1) {
                    queue.drainTo(out, max - 1);
                }
                break;
            }
        }
        return out;
    }
}
