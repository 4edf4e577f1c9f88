package org.troupe.wire;

import java.util.ArrayList;
import java.util.List;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.JoinGroup;
import org.troupe.idl.Groups.LeaveGroup;
import org.troupe.idl.Groups.LeaveKind;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.UpdateView;
import org.troupe.server.groups.Address;
import org.troupe.server.groups.Envelope;
import org.troupe.server.groups.GroupEvent;
import org.troupe.server.groups.MemberInfo;
import org.troupe.server.groups.Order;
import org.troupe.server.groups.Ref;
import org.troupe.server.groups.Refusal;
import org.troupe.server.groups.View;

/**
 * The server's group core in IDL terms, both ways: what a Group Manager receives (messages,
 * references) and what it publishes and answers (messages, orders, views, refusals as the IDL's
 * exceptions). The member library's conversions are beside it in this package.
 */
public final class CoreIdl {
    private CoreIdl() {
    }

    public static Address address(org.troupe.idl.Groups.Address a) {
        switch (a.kind.value()) {
            case AddressKind._TO_ROLE:
                return Address.role(a.role);
            case AddressKind._TO_MEMBER:
                return Address.member(a.member);
            default:
                return Address.group();
        }
    }

    public static org.troupe.idl.Groups.Address address(Address a) {
        AddressKind kind = a.kind() == Address.Kind.ROLE ? AddressKind.TO_ROLE
                : a.kind() == Address.Kind.MEMBER ? AddressKind.TO_MEMBER : AddressKind.TO_GROUP;
        return new org.troupe.idl.Groups.Address(kind, a.role(), a.member());
    }

    public static Ref ref(MessageRef r) {
        return new Ref(r.source, r.message_id);
    }

    public static MessageRef ref(Ref r) {
        return new MessageRef(r.source(), r.messageId());
    }

    /** A received Message (its fields as the sender set them; null fields are a BAD_PARAM for the ORB already). */
    public static Envelope envelope(Message m) {
        return new Envelope(m.message_id, m.source, address(m.destination), m.message_type, m.payload,
                m.is_proactive, ref(m.answers), m.sequenced, m.after);
    }

    public static List<Envelope> envelopes(Message[] messages) {
        List<Envelope> out = new ArrayList<>(messages.length);
        for (Message m : messages) {
            out.add(envelope(m));
        }
        return out;
    }

    public static Message message(Envelope e) {
        return new Message(e.messageId(), e.source(), address(e.destination()), e.type(), e.payload(), e.proactive(),
                ref(e.answers()), e.sequenced(), e.after());
    }

    public static Message[] messages(List<Envelope> list) {
        Message[] out = new Message[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = message(list.get(i));
        }
        return out;
    }

    public static SequenceMessage sequenceMessage(Order o) {
        Envelope m = o.message();
        return new SequenceMessage(m.messageId(), m.source(), o.sequenceId(), address(m.destination()), m.type());
    }

    public static SequenceMessage[] sequenceMessages(List<Order> orders) {
        SequenceMessage[] out = new SequenceMessage[orders.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sequenceMessage(orders.get(i));
        }
        return out;
    }

    public static org.troupe.idl.Groups.MemberInfo member(MemberInfo m) {
        return new org.troupe.idl.Groups.MemberInfo(m.id(), m.name(), m.role());
    }

    public static GroupView view(View v) {
        org.troupe.idl.Groups.MemberInfo[] members = new org.troupe.idl.Groups.MemberInfo[v.members().size()];
        for (int i = 0; i < members.length; i++) {
            members[i] = member(v.members().get(i));
        }
        return new GroupView(v.id(), members, v.complete(), v.sequencer());
    }

    public static UpdateView updateView(GroupEvent.ViewInstalled v) {
        JoinGroup[] joined = new JoinGroup[v.joined().size()];
        for (int i = 0; i < joined.length; i++) {
            joined[i] = new JoinGroup(member(v.joined().get(i)));
        }
        List<LeaveGroup> left = new ArrayList<>(v.left().size() + v.crashed().size());
        for (MemberInfo m : v.left()) {
            left.add(new LeaveGroup(member(m), LeaveKind.LEFT));
        }
        for (MemberInfo m : v.crashed()) {
            left.add(new LeaveGroup(member(m), LeaveKind.CRASHED));
        }
        return new UpdateView(v.sequenceId(), view(v.view()), joined, left.toArray(new LeaveGroup[0]));
    }

    /**
     * The IDL exception a refusal raises: the operation's declared exception where there is one,
     * BAD_PARAM for a malformed request, OBJECT_NOT_EXIST for what is gone for good.
     */
    public static Exception exception(Refusal r) {
        if (r instanceof Refusal.UnknownRole u) {
            return new org.troupe.idl.Groups.UnknownRole(u.role(), u.roles().toArray(new String[0]));
        }
        if (r instanceof Refusal.RoleFull f) {
            return new org.troupe.idl.Groups.RoleFull(f.role(), f.max());
        }
        if (r instanceof Refusal.AlreadyMember a) {
            return new org.troupe.idl.Groups.AlreadyMember(a.name(), a.member());
        }
        if (r instanceof Refusal.NotMember n) {
            return new org.troupe.idl.Groups.NotMember(n.member(), n.reason());
        }
        if (r instanceof Refusal.ForgedSender f) {
            return new org.troupe.idl.Groups.ForgedSender(f.claimed(), f.actual());
        }
        if (r instanceof Refusal.TypeNotAllowed t) {
            return new org.troupe.idl.Groups.TypeNotAllowed(t.type(), t.allowed().toArray(new String[0]));
        }
        if (r instanceof Refusal.MessageTooLarge m) {
            return new org.troupe.idl.Groups.MessageTooLarge(m.size(), m.limit());
        }
        if (r instanceof Refusal.BadMessage b) {
            return new org.troupe.idl.Groups.BadMessage(b.index(), b.reason());
        }
        if (r instanceof Refusal.NotSequencer n) {
            return new org.troupe.idl.Groups.NotSequencer(n.sequencer());
        }
        if (r instanceof Refusal.BadOrder b) {
            return new org.troupe.idl.Groups.BadOrder(b.index(), b.reason());
        }
        if (r instanceof Refusal.ResponseRefused rr) {
            return new org.troupe.idl.Groups.ResponseRefused(rr.index(), ref(rr.answers()), rr.reason());
        }
        if (r instanceof Refusal.OutOfTurn o) {
            return new org.troupe.idl.Groups.OutOfTurn(o.index(), o.type(), o.expectedRole());
        }
        if (r instanceof Refusal.Gone g) {
            return new org.omg.CORBA.OBJECT_NOT_EXIST("Troupe: " + g.reason());
        }
        return new org.omg.CORBA.BAD_PARAM("Troupe: " + r.message());
    }
}
