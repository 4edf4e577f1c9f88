package org.troupe.wire;

import java.util.ArrayList;
import java.util.List;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.JoinGroup;
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

/**
 * Converts between the structs of {@code idl/TroupeGroups.idl} and a member's values
 * ({@code org.troupe.member.model}): messages, destinations, members, views and view changes.
 * Used by the member's transport and by hosted members. Payload arrays are shared, not copied.
 */
public final class MemberIdl {
    private MemberIdl() {
    }

    /** A message from the channel, with the order fields the server stamped. */
    public static GroupMessage fromIdl(Message m) {
        return new GroupMessage(m.source, m.message_id, fromIdl(m.destination), m.message_type, m.payload,
                m.is_proactive, m.answers.source, m.answers.message_id, m.sequenced, m.after);
    }

    /** A message as a member sends it (the server stamps {@code sequenced} and {@code after}). */
    public static Message toIdl(GroupMessage m) {
        return new Message(m.messageId(), m.source(), toIdl(m.destination()), m.type(), m.payload(), m.proactive(),
                new MessageRef(m.answersSource(), m.answersMessageId()), false, 0);
    }

    /** A destination; an address of an unknown kind is the whole group. */
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

    public static org.troupe.idl.Groups.MemberInfo toIdl(MemberInfo m) {
        return new org.troupe.idl.Groups.MemberInfo(m.id(), m.name(), m.role());
    }

    public static org.troupe.idl.Groups.MemberInfo[] toIdl(List<MemberInfo> list) {
        org.troupe.idl.Groups.MemberInfo[] out = new org.troupe.idl.Groups.MemberInfo[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toIdl(list.get(i));
        }
        return out;
    }

    public static View fromIdl(GroupView v) {
        List<MemberInfo> members = new ArrayList<>(v.members.length);
        for (org.troupe.idl.Groups.MemberInfo m : v.members) {
            members.add(fromIdl(m));
        }
        return new View(v.view_id, members, v.complete, v.sequencer);
    }

    public static GroupView toIdl(View v) {
        return new GroupView(v.id(), toIdl(v.members()), v.complete(), v.sequencer());
    }

    /** A view change: the members that left as LEFT or as CRASHED, apart. */
    public static ViewChange fromIdl(UpdateView u) {
        List<MemberInfo> joined = new ArrayList<>();
        for (JoinGroup j : u.joined) {
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
