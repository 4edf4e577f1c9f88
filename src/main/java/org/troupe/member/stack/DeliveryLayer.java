package org.troupe.member.stack;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.View;
import org.troupe.member.model.ViewChange;

/**
 * The top of the stack: deliveries wait in a bounded queue for the application ({@code receive}
 * or a listener thread), with, in their place, state captures for joiners
 * ({@link StackEvent.CaptureState}), which the taking thread runs and does not hand over. When the queue is full, the stack waits up to {@code offerTimeoutMillis}
 * (which holds back the channel, and so the group's senders); past that the member fails: an
 * application that does not take its deliveries cannot stay in a group that promises them.
 */
public final class DeliveryLayer extends Layer {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLayer.class);

    /** Put in the queue when the member is out; receivers see it and report the reason. */
    public record Closed(String reason) {
    }

    private final BlockingQueue<Object> queue;
    private final long offerTimeoutMillis;
    private final String group;
    private volatile View view;
    private volatile long me;
    private volatile String closedReason;
    private final java.util.function.Consumer<String> onFailed;

    /**
     * @param onFailed told (once) when the member fails, with the reason, e.g. to halt the transport
     */
    public DeliveryLayer(String group, int capacity, long offerTimeoutMillis,
            java.util.function.Consumer<String> onFailed) {
        this.group = group;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.offerTimeoutMillis = offerTimeoutMillis;
        this.onFailed = onFailed;
    }

    /**
     * The queue the application takes from: {@link Delivery} objects and {@link
     * StackEvent.CaptureState} notes, then a {@link Closed} marker.
     */
    public BlockingQueue<Object> queue() {
        return queue;
    }

    /** The current view (the last one delivered), or the join's view before that. */
    public View view() {
        return view;
    }

    /** This member's id. */
    public long me() {
        return me;
    }

    /** Why the member is out, or null while it is in. */
    public String closedReason() {
        return closedReason;
    }

    @Override
    public void up(StackEvent e) {
        if (e instanceof StackEvent.Joined j) {
            me = j.memberId();
            view = j.view();
        } else if (e instanceof StackEvent.Deliver d) {
            offer(Received.of(d.message(), d.sequenceId(), view));
        } else if (e instanceof StackEvent.DeliverView dv) {
            ViewChange c = dv.change();
            view = c.view();
            offer(c);
            if (c.removed(me)) {
                fail(c.crashed().stream().anyMatch(m -> m.id() == me)
                        ? "removed from group " + group + ": it was silent longer than the suspect time"
                    : "left group " + group);
            }
        } else if (e instanceof StackEvent.DeliverState s) {
            offer(s.transfer());
        } else if (e instanceof StackEvent.CaptureState c) {
            offerInternal(c);
        } else if (e instanceof StackEvent.QueryDone q) {
            if (closedReason != null) {
                q.query().runCallbacks(); // nobody takes from the queue any more
            } else {
                offerInternal(q);
            }
        } else if (e instanceof StackEvent.Failed f) {
            fail(f.reason());
        } else {
            // nothing else reaches the top
        }
    }

    private void offer(Delivery d) {
        offerInternal(d);
    }

    /** Queues a delivery, or a note for the taking thread ({@link StackEvent.CaptureState}). */
    private void offerInternal(Object d) {
        if (closedReason != null) {
            return;
        }
        try {
            if (!queue.offer(d, offerTimeoutMillis, TimeUnit.MILLISECONDS)) {
                fail("the application did not take deliveries for " + offerTimeoutMillis + " ms (queue of "
                        + (queue.size() + queue.remainingCapacity()) + " full)");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** Marks the member out, once: the reason is kept and a marker queued for receivers. */
    public void fail(String reason) {
        synchronized (this) {
            if (closedReason != null) {
                return;
            }
            closedReason = reason;
        }
        LOG.debug("member {}: {}", me, reason);
        Closed marker = new Closed(reason);
        while (!queue.offer(marker)) {
            queue.poll(); // make room: a closed member's unread deliveries yield to the marker
        }
        onFailed.accept(reason);
    }
}
