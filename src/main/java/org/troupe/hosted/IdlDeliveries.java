package org.troupe.hosted;

import java.util.List;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;
import org.troupe.idl.Hosted.QueryDone;
import org.troupe.idl.Hosted.QueryOutcome;
import org.troupe.idl.Hosted.TurnInfo;
import org.troupe.member.Query;
import org.troupe.member.corba.Conversions;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.View;
import org.troupe.member.model.ViewChange;

/** Turns the Java member API's deliveries into the IDL of {@code idl/TroupeHosted.idl}. */
final class IdlDeliveries {
    private IdlDeliveries() {
    }

    static Delivery message(Received r) {
        GroupMessage m = r.message();
        Delivery d = new Delivery();
        d.message(new org.troupe.idl.Hosted.Received(r.sequenceId(), member(r.sender()),
                new MessageRef(m.source(), m.messageId()), m.type(), Conversions.toIdl(m.destination()), m.payload(),
                m.isResponse(), new MessageRef(m.answersSource(), m.answersMessageId())));
        return d;
    }

    static Delivery view(ViewChange v) {
        Delivery d = new Delivery();
        d.view(new org.troupe.idl.Hosted.ViewChange(v.sequenceId(), view(v.view()), members(v.joined()),
                members(v.left()), members(v.crashed())));
        return d;
    }

    static Delivery queryDone(Query q) {
        QueryOutcome outcome = switch (q.outcome()) {
            case COMPLETE -> QueryOutcome.QUERY_COMPLETE;
            case TIMED_OUT -> QueryOutcome.QUERY_TIMED_OUT;
            default -> QueryOutcome.QUERY_CLOSED;
        };
        Delivery d = new Delivery();
        d.query(new QueryDone(q.messageId(), q.type(), outcome, members(q.responders()), members(q.missing()),
                q.responses().size(), q.late()));
        return d;
    }

    static Delivery closed(String reason) {
        Delivery d = new Delivery();
        d.reason(reason == null ? "closed" : reason);
        return d;
    }

    static boolean isClosed(Delivery d) {
        return d.discriminator() == DeliveryKind.CLOSED_DELIVERY;
    }

    static GroupView view(View v) {
        return new GroupView(v.id(), members(v.members()), v.complete(), v.sequencer());
    }

    static org.troupe.idl.Groups.MemberInfo member(MemberInfo m) {
        return new org.troupe.idl.Groups.MemberInfo(m.id(), m.name(), m.role());
    }

    static org.troupe.idl.Groups.MemberInfo[] members(List<MemberInfo> list) {
        org.troupe.idl.Groups.MemberInfo[] out = new org.troupe.idl.Groups.MemberInfo[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = member(list.get(i));
        }
        return out;
    }

    static TurnInfo turn(org.troupe.member.model.Turn t, String type) {
        if (t == null) {
            return new TurnInfo(false, type, "", 0, 0, 0);
        }
        return new TurnInfo(true, t.type(), t.role(), t.step(), t.steps(), t.round());
    }
}
