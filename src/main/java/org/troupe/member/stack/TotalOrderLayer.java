package org.troupe.member.stack;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.troupe.member.GroupMessage;

/**
 * Total order (seed 002 "Ordering Protocol", send-based sequencer). Messages are held back until
 * their sequence id and every lower one are in, then delivered with views interleaved at their
 * sequence ids, so every member delivers the same sequence. JOIN_MODE: nothing below the join's
 * view sequence id is delivered; from there on, the member is ONLINE.
 *
 * <p>The hold-back buffer is bounded ({@code holdBackLimit} messages waiting for their order, or
 * orders waiting for their message); a member whose buffer overflows fails with a clear reason
 * rather than growing without end.
 */
public final class TotalOrderLayer extends Layer {
    private record Ref(long source, long messageId) {
    }

    private final int holdBackLimit;
    private final Map<Ref, GroupMessage> held = new HashMap<>();
    private final TreeMap<Long, Object> ordered = new TreeMap<>(); // seq -> Ref or ViewChange
    private long nextSequenceId = -1; // unknown until Joined
    private boolean failed;
    private long delivered;

    public TotalOrderLayer(int holdBackLimit) {
        this.holdBackLimit = holdBackLimit;
    }

    /** True once the member has delivered its own join view (ONLINE_MODE). */
    public boolean online() {
        return nextSequenceId > 0 && delivered > 0;
    }

    /** Messages delivered so far. */
    public long delivered() {
        return delivered;
    }

    @Override
    public void up(StackEvent e) {
        if (failed) {
            return;
        }
        if (e instanceof StackEvent.Joined j) {
            nextSequenceId = j.viewSequenceId();
            passUp(e);
        } else if (e instanceof StackEvent.MessageArrived a) {
            GroupMessage m = a.message();
            held.put(new Ref(m.source(), m.messageId()), m);
            check();
            deliverReady();
        } else if (e instanceof StackEvent.OrderArrived o) {
            Ref r = new Ref(o.source(), o.messageId());
            if (o.sequenceId() < nextSequenceId) {
                held.remove(r); // ordered before this member's view: not for it (JOIN_MODE)
            } else {
                ordered.put(o.sequenceId(), r);
                check();
                deliverReady();
            }
        } else if (e instanceof StackEvent.ViewArrived v) {
            if (v.change().sequenceId() >= nextSequenceId) {
                ordered.put(v.change().sequenceId(), v.change());
                deliverReady();
            }
        } else if (e instanceof StackEvent.Failed f) {
            failed = true;
            held.clear();
            ordered.clear();
            passUp(e);
        } else {
            passUp(e);
        }
    }

    private void deliverReady() {
        while (!ordered.isEmpty() && ordered.firstKey() == nextSequenceId) {
            Object next = ordered.firstEntry().getValue();
            if (next instanceof Ref r) {
                GroupMessage m = held.remove(r);
                if (m == null) {
                    return; // its order is in, the message is not yet
                }
                ordered.pollFirstEntry();
                nextSequenceId++;
                delivered++;
                passUp(new StackEvent.Deliver(m, nextSequenceId - 1));
            } else {
                ordered.pollFirstEntry();
                nextSequenceId++;
                delivered++;
                passUp(new StackEvent.DeliverView((org.troupe.member.ViewChange) next));
            }
            if (failed) {
                return;
            }
        }
    }

    private void check() {
        if (held.size() > holdBackLimit || ordered.size() > holdBackLimit) {
            String reason = "hold-back buffer full (" + held.size() + " messages, " + ordered.size()
                    + " orders waiting; limit " + holdBackLimit + "): the sequencer is not keeping up or events were lost";
            up(new StackEvent.Failed(reason));
        }
    }
}
