package org.troupe.member.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/**
 * The top of the stack: hands deliveries over to the application side through a {@link Handoff},
 * in their place the notes its taking thread runs (state captures for joiners, query
 * completions), and to one side the state requests it must send. When the delivery queue is
 * full, the stack waits up to {@code offerTimeoutMillis} (which holds back the channel, and so
 * the group's senders); past that the member fails: an application that does not take its
 * deliveries cannot stay in a group that promises them. On the way down, a {@link
 * StackEvent.Leave} goes on to the bottom and then closes the member; once the member is out,
 * for whatever reason, a {@link StackEvent.Halt} goes down to stop what still runs below.
 */
public final class DeliveryLayer extends Layer {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLayer.class);

    private final String group;
    private final Handoff handoff;
    private final long offerTimeoutMillis;
    private volatile long me;

    public DeliveryLayer(String group, Handoff handoff, long offerTimeoutMillis) {
        this.group = group;
        this.handoff = handoff;
        this.offerTimeoutMillis = offerTimeoutMillis;
    }

    @Override
    public void up(StackEvent e) {
        if (e instanceof StackEvent.Joined j) {
            me = j.memberId();
            handoff.view(j.view());
        } else if (e instanceof StackEvent.Deliver d) {
            offer(Received.of(d.message(), d.sequenceId(), handoff.view()));
        } else if (e instanceof StackEvent.DeliverView dv) {
            ViewChange c = dv.change();
            handoff.view(c.view());
            offer(c);
            if (c.removed(me)) {
                fail(c.crashed().stream().anyMatch(m -> m.id() == me)
                        ? "removed from group " + group + ": it was silent longer than the suspect time"
                        : "left group " + group);
            }
        } else if (e instanceof StackEvent.DeliverState s) {
            offer(s.transfer());
        } else if (e instanceof StackEvent.CaptureState c) {
            offer(c);
        } else if (e instanceof StackEvent.QueryDone q) {
            if (handoff.closedReason() != null) {
                q.query().runCallbacks(); // nobody takes from the queue any more
            } else {
                offer(q);
            }
        } else if (e instanceof StackEvent.NextTurns t) {
            handoff.turns(t.byType());
        } else if (e instanceof StackEvent.RequestState r) {
            if (handoff.closedReason() == null && !handoff.request(r)) {
                LOG.warn("group {}: state request to member {} not sent: too many pending", group, r.provider());
            }
        } else if (e instanceof StackEvent.Failed f) {
            fail(f.reason());
        } else {
            // nothing else reaches the top
        }
    }

    @Override
    public void down(StackEvent e) {
        if (e instanceof StackEvent.Leave) {
            if (handoff.closedReason() == null) {
                passDown(e);
            }
            fail("left group " + group);
        } else {
            passDown(e);
        }
    }

    /** Queues a delivery, or a note for the taking thread. */
    private void offer(Object d) {
        if (handoff.closedReason() != null) {
            return;
        }
        try {
            if (!handoff.offer(d, offerTimeoutMillis)) {
                fail("the application did not take deliveries for " + offerTimeoutMillis + " ms (queue of "
                        + (handoff.deliveries().size() + handoff.deliveries().remainingCapacity()) + " full)");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** Marks the member out, once, and halts what runs below. */
    private void fail(String reason) {
        if (handoff.close(reason)) {
            LOG.debug("member {}: {}", me, reason);
            passDown(new StackEvent.Halt(reason));
        }
    }
}
