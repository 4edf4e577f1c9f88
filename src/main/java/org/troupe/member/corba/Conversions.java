package org.troupe.member.corba;

import java.util.ArrayList;
import java.util.List;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.LeaveGroup;
import org.troupe.idl.Groups.LeaveKind;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.UpdateView;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.View;
import org.troupe.member.model.ViewChange;

/** Converts between the IDL structs and the stack's plain Java values (the payload is shared). */
public final class Conversions {
    private Conversions() {
    }

    public static GroupMessage fromIdl(Message m) {
        return new GroupMessage(m.source, m.message_id, fromIdl(m.destination), m.message_type, m.payload,
                m.is_proactive, m.answers.source, m.answers.message_id, m.sequenced, m.after);
    }

    public static Message toIdl(GroupMessage m) {
        return new Message(m.messageId(), m.source(), toIdl(m.destination()), m.type(), m.payload(), m.proactive(),
                new MessageRef(m.answersSource(), m.answersMessageId()), false, 0);
    }

    public static org.troupe.member.stack.StackEvent.OrderArrived fromIdl(org.troupe.idl.Groups.SequenceMessage s) {
        return new org.troupe.member.stack.StackEvent.OrderArrived(s.source, s.message_id, s.sequence_id,
                fromIdl(s.destination), s.message_type);
    }

    public static Destination fromIdl(Address a) {
        return switch (a.kind.value()) {
            case AddressKind._TO_ROLE -> Destination.role(a.role);
            case AddressKind._TO_MEMBER -> Destination.member(a.member);
            default -> Destination.group();
        };
    }

    public static Address toIdl(Destination d) {
        return switch (d.kind()) {
            case GROUP -> new Address(AddressKind.TO_GROUP, "", 0);
            case ROLE -> new Address(AddressKind.TO_ROLE, d.role(), 0);
            case MEMBER -> new Address(AddressKind.TO_MEMBER, "", d.member());
        };
    }

    public static MemberInfo fromIdl(org.troupe.idl.Groups.MemberInfo m) {
        return new MemberInfo(m.id, m.name, m.role);
    }

    public static View fromIdl(GroupView v) {
        List<MemberInfo> members = new ArrayList<>(v.members.length);
        for (org.troupe.idl.Groups.MemberInfo m : v.members) {
            members.add(fromIdl(m));
        }
        return new View(v.view_id, members, v.complete, v.sequencer);
    }

    public static ViewChange fromIdl(UpdateView u) {
        List<MemberInfo> joined = new ArrayList<>();
        for (org.troupe.idl.Groups.JoinGroup j : u.joined) {
            joined.add(fromIdl(j.member));
        }
        List<MemberInfo> left = new ArrayList<>();
        List<MemberInfo> crashed = new ArrayList<>();
        for (LeaveGroup l : u.left) {
            (l.kind == LeaveKind.CRASHED ? crashed : left).add(fromIdl(l.member));
        }
        return new ViewChange(u.sequence_id, fromIdl(u.view), joined, left, crashed);
    }
}
