package org.troupe.wire;

import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.QueryDone;
import org.troupe.idl.Hosted.QueryOutcome;
import org.troupe.idl.Hosted.TurnInfo;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.QueryResult;
import org.troupe.member.model.Received;
import org.troupe.member.model.Turn;
import org.troupe.member.model.ViewChange;

/**
 * Converts a member's deliveries ({@code org.troupe.member.model}) into the structs of {@code
 * idl/TroupeHosted.idl}, for hosted members: messages, view changes, query completions, turns and
 * the closing delivery. Members and views convert as in {@link MemberIdl}.
 */
public final class HostedIdl {
    private HostedIdl() {
    }

    public static Delivery message(Received r) {
        GroupMessage m = r.message();
        Delivery d = new Delivery();
        d.message(new org.troupe.idl.Hosted.Received(r.sequenceId(), MemberIdl.toIdl(r.sender()),
                new MessageRef(m.source(), m.messageId()), m.type(), MemberIdl.toIdl(m.destination()), m.payload(),
                m.isResponse(), new MessageRef(m.answersSource(), m.answersMessageId())));
        return d;
    }

    public static Delivery view(ViewChange v) {
        Delivery d = new Delivery();
        d.view(new org.troupe.idl.Hosted.ViewChange(v.sequenceId(), MemberIdl.toIdl(v.view()),
                MemberIdl.toIdl(v.joined()), MemberIdl.toIdl(v.left()), MemberIdl.toIdl(v.crashed())));
        return d;
    }

    /** A completed query: its outcome, who responded and who did not, and the counts. */
    public static Delivery queryDone(QueryResult q) {
        QueryOutcome outcome = switch (q.outcome()) {
            case COMPLETE -> QueryOutcome.QUERY_COMPLETE;
            case TIMED_OUT -> QueryOutcome.QUERY_TIMED_OUT;
            default -> QueryOutcome.QUERY_CLOSED;
        };
        Delivery d = new Delivery();
        d.query(new QueryDone(q.messageId(), q.type(), outcome, MemberIdl.toIdl(q.responders()),
                MemberIdl.toIdl(q.missing()), q.responses().size(), q.late()));
        return d;
    }

    /** The last delivery a hosted member gets: why it is out. */
    public static Delivery closed(String reason) {
        Delivery d = new Delivery();
        d.reason(reason == null ? "closed" : reason);
        return d;
    }

    /** The next turn of the pattern with {@code type}, or "none" ({@code t} null) for that type. */
    public static TurnInfo turn(Turn t, String type) {
        if (t == null) {
            return new TurnInfo(false, type, "", 0, 0, 0);
        }
        return new TurnInfo(true, t.type(), t.role(), t.step(), t.steps(), t.round());
    }
}
