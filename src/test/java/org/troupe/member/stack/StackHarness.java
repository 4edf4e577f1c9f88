package org.troupe.member.stack;

import java.util.ArrayList;
import java.util.List;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.View;
import org.troupe.member.model.ViewChange;

/**
 * A stack between a fake transport (records what goes down, injects what comes up) and a
 * recording top: one layer, or a few stacked, tested on their own, without an ORB.
 */
final class StackHarness {
    /** The fake bottom: records down events. */
    static final class FakeTransport extends Layer {
        final List<StackEvent> down = new ArrayList<>();

        @Override
        public void down(StackEvent e) {
            down.add(e);
        }
    }

    /** The recording top: every event that reaches it, as text. */
    static final class Recorder extends Layer {
        final List<StackEvent> events = new ArrayList<>();
        final List<String> lines = new ArrayList<>();

        @Override
        public void up(StackEvent e) {
            events.add(e);
            if (e instanceof StackEvent.Deliver d) {
                lines.add(d.message().type() + " " + d.message().source() + "/" + d.message().messageId());
            } else if (e instanceof StackEvent.DeliverView v) {
                lines.add("view " + v.change().view().id());
            } else if (e instanceof StackEvent.Failed f) {
                lines.add("failed " + f.reason());
            }
        }
    }

    final FakeTransport bottom = new FakeTransport();
    final Recorder top = new Recorder();
    final ProtocolStack stack;

    StackHarness(Layer... middle) {
        ProtocolStack.Builder b = ProtocolStack.builder().add(bottom);
        for (Layer l : middle) {
            b.add(l);
        }
        stack = b.add(top).build();
    }

    void up(StackEvent e) {
        stack.up(e);
    }

    void joined(long me, String role, long viewSeq, View view, int... turns) {
        up(new StackEvent.Joined(me, role, viewSeq, view, turns));
    }

    /** A sequenced message as the channel carries it. */
    static GroupMessage sequenced(long source, long id, String type, Destination to) {
        return new GroupMessage(source, id, to, type, new byte[0], true, 0, 0, true, 0);
    }

    /** An implied-order message (a response or a turn) as the channel carries it. */
    static GroupMessage implied(long source, long id, String type, Destination to, long answersSource,
            long answersId, long after) {
        return new GroupMessage(source, id, to, type, new byte[0], answersId == 0, answersSource, answersId, false,
                after);
    }

    static View view(long id, MemberInfo... members) {
        return new View(id, List.of(members), true, 0);
    }

    static ViewChange change(long seq, View v, List<MemberInfo> joined, List<MemberInfo> left,
            List<MemberInfo> crashed) {
        return new ViewChange(seq, v, joined, left, crashed);
    }
}
