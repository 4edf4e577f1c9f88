package org.troupe.member.stack;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.troupe.member.model.GroupMessage;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.TypeRule;

/**
 * Ordering: every member delivers the same sequence.
 *
 * <ul>
 * <li><b>Total order</b> (send-based sequencer): a sequenced message is held back until its
 * sequence id and every lower one are in; views are delivered at their sequence ids. The order
 * of a message this member is not sent (the channel filters at the source) is skipped without
 * waiting: its SequenceMessage names the destination and type.</li>
 * <li><b>Implied order</b>: a response or a turn skips the sequencer.
 * It carries {@code after}, the sequence id it must follow (its query's, the previous turn's,
 * its sender's previous message's, and the view it was sent in), and is delivered as soon as
 * every sequence id up to that one has been, in arrival order. Responses commute with each
 * other and with unrelated messages; every view still falls at the same place for everyone.</li>
 * <li><b>References for ordering</b>: a sequencer volunteer is also sent each sequenced
 * message outside its audience, payload removed, so that it can order it. By the same rule as
 * the server's (the type's receivers and the address, read from the message itself), such a
 * message is not for this member: the sequencer layer below has taken its reference, and this
 * layer drops it on arrival; its order is skipped like any other not sent to it.</li>
 * <li><b>JOIN_MODE</b>: nothing ordered before the join's view is delivered; from there on, the
 * member is ONLINE.</li>
 * <li><b>Own messages</b>: the channel does not send a member its own sequenced messages (it
 * joins with {@code keeps_own}). On the way down, this layer keeps a copy of each message the
 * member sends to an audience it is in, until the message's order comes (the copy is delivered
 * at that place) or the channel sends the message back (a response or a turn, which skip the
 * sequencer, or any own message to a sequencer volunteer), which then takes the copy's place.</li>
 * </ul>
 *
 * <p>The hold-back buffers are bounded ({@code holdBackLimit}); a member whose buffers overflow
 * fails with a clear reason rather than growing without end.
 */
public final class TotalOrderLayer extends Layer {
    private record Ref(long source, long messageId) {
    }

    private static final Object SKIP = new Object();

    private final int holdBackLimit;
    private final ApplicationProtocol protocol;
    private final boolean impliedOrder;
    private final Map<Ref, GroupMessage> held = new HashMap<>();
    private final TreeMap<Long, Object> ordered = new TreeMap<>(); // seq -> Ref, ViewChange or SKIP
    private final ArrayDeque<GroupMessage> implied = new ArrayDeque<>(); // arrival order
    // this member's own messages, from their way down until their order or their return
    private final OwnCopies own;
    private long nextSequenceId = -1; // unknown until Joined
    /** The lowest {@code after} of an implied-order message for this member ({@link StackEvent.Joined#impliedFrom}). */
    private long impliedFrom;
    private volatile long me;
    private volatile String role = "";
    private boolean failed;
    private long delivered;
    private long skipped;
    private volatile long referencesForOrdering; // written under the stack's lock, read by tools

    /** A total order layer for a group whose protocol is unknown (every message reaches everyone). */
    public TotalOrderLayer(int holdBackLimit) {
        this(holdBackLimit, null);
    }

    /** A total order layer for a group with this protocol and implied order on (the default). */
    public TotalOrderLayer(int holdBackLimit, ApplicationProtocol protocol) {
        this(holdBackLimit, protocol, true);
    }

    /**
     * @param impliedOrder the group's descriptor's {@code implied_order}: whether responses and
     *        turns skip the sequencer (then the channel always sends them back to their sender)
     */
    public TotalOrderLayer(int holdBackLimit, ApplicationProtocol protocol, boolean impliedOrder) {
        this.holdBackLimit = holdBackLimit;
        this.protocol = protocol;
        this.impliedOrder = impliedOrder;
        this.own = new OwnCopies(holdBackLimit);
    }

    /** True once the member has delivered its own join view (ONLINE_MODE). */
    public boolean online() {
        return nextSequenceId > 0 && delivered > 0;
    }

    /** Messages and views delivered so far. */
    public long delivered() {
        return delivered;
    }

    /** This member's own messages kept as copies, awaiting their order or their return. */
    public int ownCopies() {
        return own.size();
    }

    /** Copies dropped unclaimed (a later own message came back first): 0 unless something is wrong. */
    public long staleCopies() {
        return own.stale();
    }

    /**
     * Messages that arrived only to be ordered (a sequencer volunteer's references, payload
     * removed, to messages outside its audience): never held, never delivered.
     */
    public long referencesForOrdering() {
        return referencesForOrdering;
    }

    /** Sequence ids skipped: messages this member is not sent. */
    public long skipped() {
        return skipped;
    }

    @Override
    public void up(StackEvent e) {
        if (failed) {
            return;
        }
        if (e instanceof StackEvent.Joined j) {
            nextSequenceId = j.viewSequenceId();
            impliedFrom = j.impliedFrom();
            me = j.memberId();
            role = j.role();
            passUp(e);
        } else if (e instanceof StackEvent.MessageArrived a) {
            GroupMessage m = a.message();
            if (m.sequenced() && !sentToMe(m.type(), m.destination())) {
                // a reference for ordering (a sequencer volunteer is sent one, payload removed, for
                // each sequenced message outside its audience): the sequencer layer below took its
                // ref; its order will be skipped, it is never held nor delivered
                referencesForOrdering++;
                return;
            }
            if (m.source() == me) {
                own.take(m.messageId()); // the channel sent it back: it takes the copy's place
            }
            if (m.sequenced()) {
                held.put(new Ref(m.source(), m.messageId()), m);
            } else if (m.after() >= impliedFrom) {
                implied.add(m);
            } // else sent before this member's view (JOIN_MODE), or delivered by the stack it took over from
            check();
            deliverReady();
        } else if (e instanceof StackEvent.OrderArrived o) {
            Ref r = new Ref(o.source(), o.messageId());
            if (o.sequenceId() < nextSequenceId) {
                held.remove(r); // ordered before this member's view: not for it (JOIN_MODE)
            } else {
                boolean forMe = sentToMe(o);
                GroupMessage copy = o.source() == me ? own.take(o.messageId()) : null;
                if (!forMe) {
                    held.remove(r); // not this member's to deliver (nothing is held for it: see MessageArrived)
                } else if (copy != null) {
                    held.put(r, copy); // the channel does not send it back: deliver the copy
                } else if (o.source() == me && !held.containsKey(r)) {
                    // neither kept nor sent back: waiting for it would stall the member for good
                    up(new StackEvent.Failed("own message " + o.messageId() + " was ordered (sequence id "
                            + o.sequenceId() + ") but this member has no copy of it and was not sent it"));
                    return;
                }
                ordered.put(o.sequenceId(), forMe ? r : SKIP);
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
            own.clear();
            held.clear();
            ordered.clear();
            implied.clear();
            passUp(e);
        } else {
            passUp(e);
        }
    }

    /**
     * On the way down: keeps a copy of a message this member will deliver itself and that the
     * sequencer orders (one it is in the audience of, of a type in total order), until its order
     * comes (or, to a sequencer volunteer, the message itself); a refused send keeps nothing. A
     * message that skips the sequencer always comes back to a member it is for, with its place.
     */
    @Override
    public void down(StackEvent e) {
        if (failed || !(e instanceof StackEvent.Send s) || !sequenced(s.message().type())
                || !sentToMe(s.message().type(), s.message().destination())) {
            passDown(e);
            return;
        }
        GroupMessage m = s.message();
        if (!own.add(m)) {
            throw new IllegalStateException("hold-back buffer full: " + holdBackLimit
                    + " of this member's own messages await their order (the sequencer is not keeping up)");
        }
        try {
            passDown(e);
        } catch (RuntimeException ex) {
            own.dropLast(m);
            throw ex;
        }
    }

    /** True if the channel sends this member the message: the same rule as the server's filter. */
    private boolean sentToMe(StackEvent.OrderArrived o) {
        return sentToMe(o.type(), o.destination());
    }

    /** True if the server orders messages of this type through the sequencer (the same rule as the server's). */
    private boolean sequenced(String type) {
        TypeRule rule = protocol == null ? null : protocol.rule(type);
        return rule == null || rule.ordering(impliedOrder) == TypeRule.Ordering.TOTAL;
    }

    private boolean sentToMe(String type, org.troupe.member.model.Destination destination) {
        TypeRule rule = protocol == null ? null : protocol.rule(type);
        return (rule == null || rule.reaches(role)) && destination.includes(me, role);
    }

    private void deliverReady() {
        while (true) {
            deliverImplied();
            if (failed || ordered.isEmpty() || ordered.firstKey() != nextSequenceId) {
                return;
            }
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
            } else if (next == SKIP) {
                ordered.pollFirstEntry();
                nextSequenceId++;
                skipped++;
            } else {
                ordered.pollFirstEntry();
                nextSequenceId++;
                delivered++;
                passUp(new StackEvent.DeliverView((org.troupe.member.model.ViewChange) next));
            }
        }
    }

    /** Delivers, in arrival order, every implied-order message whose {@code after} has been passed. */
    private void deliverImplied() {
        if (implied.isEmpty()) {
            return;
        }
        for (Iterator<GroupMessage> it = implied.iterator(); it.hasNext() && !failed;) {
            GroupMessage m = it.next();
            if (m.after() < nextSequenceId) {
                it.remove();
                delivered++;
                // its place: after sequence id nextSequenceId - 1, before the next one
                passUp(new StackEvent.Deliver(m, nextSequenceId - 1));
            }
        }
    }

    private void check() {
        if (held.size() > holdBackLimit || ordered.size() > holdBackLimit || implied.size() > holdBackLimit) {
            String reason = "hold-back buffer full (" + held.size() + " messages, " + ordered.size() + " orders, "
                    + implied.size() + " implied-order messages waiting; limit " + holdBackLimit
                    + "): the sequencer is not keeping up or events were lost";
            up(new StackEvent.Failed(reason));
        }
    }
}
