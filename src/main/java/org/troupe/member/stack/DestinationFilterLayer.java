package org.troupe.member.stack;

import org.troupe.member.GroupMessage;

/**
 * Delivery by destination (seed 002 "Filtering Protocol"): a message addressed to a role or to a
 * member reaches only them. With self-discard on (Spread's SELF_DISCARD), a member does not get
 * its own messages back. Filtering happens after ordering, so every member's sequence is the
 * same order restricted to what it receives.
 */
public final class DestinationFilterLayer extends Layer {
    private final boolean selfDiscard;
    private long me;
    private String role = "";
    private long dropped;

    public DestinationFilterLayer(boolean selfDiscard) {
        this.selfDiscard = selfDiscard;
    }

    /** Messages dropped here (not for this member, or its own with self-discard on). */
    public long dropped() {
        return dropped;
    }

    @Override
    public void up(StackEvent e) {
        if (e instanceof StackEvent.Joined j) {
            me = j.memberId();
            role = j.role();
        } else if (e instanceof StackEvent.Deliver d) {
            GroupMessage m = d.message();
            if ((selfDiscard && m.source() == me) || !m.destination().includes(me, role)) {
                dropped++;
                return;
            }
        }
        passUp(e);
    }
}
