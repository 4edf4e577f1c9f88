package org.troupe.member.stack;

import org.troupe.member.model.GroupMessage;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.TypeRule;

/**
 * Filtering, by destination and by message type. The channel
 * already filters at the source (a member is not sent what it would drop); this layer applies
 * the same rule once more, so that a member never delivers what is not for it whatever the
 * channel, and applies self-discard (Spread's SELF_DISCARD): with it on, a member does not get
 * its own messages back. A message reaches a member if its type's receivers include the
 * member's role (or it answers the member's own query) and its address (group, role, member)
 * names the member. JOIN_MODE (only the join's view until the member is in it) is enforced by
 * the ordering layer below, which delivers nothing ordered before the join's view.
 */
public final class DestinationFilterLayer extends Layer {
    private final boolean selfDiscard;
    private final ApplicationProtocol protocol;
    private long me;
    private String role = "";
    private long dropped;

    /** A filter by destination only (no protocol known). */
    public DestinationFilterLayer(boolean selfDiscard) {
        this(selfDiscard, null);
    }

    public DestinationFilterLayer(boolean selfDiscard, ApplicationProtocol protocol) {
        this.selfDiscard = selfDiscard;
        this.protocol = protocol;
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
            if ((selfDiscard && m.source() == me) || !forMe(m)) {
                dropped++;
                return;
            }
        }
        passUp(e);
    }

    private boolean forMe(GroupMessage m) {
        TypeRule rule = protocol == null ? null : protocol.rule(m.type());
        return (rule == null || rule.reaches(role)) && m.destination().includes(me, role);
    }
}
