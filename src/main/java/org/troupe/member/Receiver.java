package org.troupe.member;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;
import org.troupe.member.model.StateTransfer;
import org.troupe.member.model.ViewChange;
import org.troupe.member.stack.Handoff;
import org.troupe.member.stack.StackEvent;

/**
 * Takes a member's deliveries from its stack's {@link Handoff}, for the application: pulled by
 * {@code receive}/{@code poll}, or pushed to a {@link GroupListener} on the group's delivery
 * thread. On the way it runs, at their place in the delivery order, the work that waits there: a
 * joiner's state capture ({@link StateCapture}) and a query's completion listeners.
 */
final class Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

    private final String group;
    private final Handoff handoff;
    private final StateCapture capture;

    Receiver(String group, Handoff handoff, StateCapture capture) {
        this.group = group;
        this.handoff = handoff;
        this.capture = capture;
    }

    Delivery receive() throws TroupeException, InterruptedException {
        while (true) {
            Delivery d = take(handoff.deliveries().take());
            if (d != null) {
                return d;
            }
        }
    }

    Delivery receive(Duration timeout) throws TroupeException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object o = handoff.deliveries().poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (o == null) {
                return null;
            }
            Delivery d = take(o);
            if (d != null) {
                return d;
            }
        }
    }

    Delivery poll() throws TroupeException {
        while (true) {
            Object o = handoff.deliveries().poll();
            if (o == null) {
                return null;
            }
            Delivery d = take(o);
            if (d != null) {
                return d;
            }
        }
    }

    /**
     * The delivery {@code o} is, or null if it was work for the taking thread (a state capture,
     * a query's completion listeners), done here.
     */
    private Delivery take(Object o) throws GroupClosedException {
        if (o instanceof Handoff.Closed c) {
            handoff.deliveries().offer(c); // other receivers see it too
            throw new GroupClosedException(c.reason());
        }
        if (o instanceof StackEvent.CaptureState c) {
            capture.run(c);
            return null;
        }
        if (o instanceof StackEvent.QueryDone q) {
            q.query().runCallbacks();
            return null;
        }
        return (Delivery) o;
    }

    /** Push delivery: hands every delivery to {@code listener}, in order, until the member is out. */
    void listen(GroupListener listener) {
        BlockingQueue<Object> q = handoff.deliveries();
        while (true) {
            Object o;
            try {
                o = q.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!dispatch(listener, o)) {
                return;
            }
        }
    }

    /**
     * Hands one delivery or note to {@code listener} (or runs the note's work); false once it was
     * the member's end. What the listener throws is logged, and delivery goes on.
     */
    boolean dispatch(GroupListener listener, Object o) {
        try {
            if (o instanceof Handoff.Closed c) {
                listener.onClosed(c.reason());
            } else if (o instanceof Received r) {
                listener.onMessage(r);
            } else if (o instanceof ViewChange v) {
                listener.onView(v);
            } else if (o instanceof StateTransfer st) {
                listener.onState(st);
            } else if (o instanceof StackEvent.CaptureState c) {
                capture.run(c);
            } else if (o instanceof StackEvent.QueryDone done) {
                done.query().runCallbacks();
            }
        } catch (RuntimeException e) {
            LOG.warn("group {}: listener failed on {}; delivery goes on", group, o.getClass().getSimpleName(), e);
        }
        return !(o instanceof Handoff.Closed);
    }
}
