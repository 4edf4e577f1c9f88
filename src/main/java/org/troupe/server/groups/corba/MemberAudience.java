package org.troupe.server.groups.corba;

import java.util.concurrent.atomic.AtomicLong;
import org.omg.CORBA.Any;
import org.troupe.cdr.FastAny;
import org.troupe.server.events.EventFilter;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.Message;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.TypeRule;

/**
 * Filtering at the source, and privacy by protocol: which of a group's events one member's
 * consumer is sent. A Message goes to the members its type reaches by role and its address
 * names, its sender included if it is among them (self-discard is the member's own choice);
 * every other event (orders, views) goes to everyone. A MessageList (the Messages of one send
 * call) is narrowed to the Messages for the member, in their order, and skipped if none is.
 *
 * <p>A sequencer volunteer must be able to order every sequenced Message, whenever it comes to
 * hold the sequencer, but may read only its own audience: it is sent each sequenced Message
 * outside its audience as a <em>reference for ordering</em>, a copy with the payload removed
 * (source, message id, type, destination and flags kept), and no Message outside its audience
 * that skips the sequencer (a response, a turn: nothing to order). Its stack tells such a copy
 * by the same rule (type's receivers and address, from the Message itself): one that is not for
 * it is passed to its sequencer layer only and never delivered.
 *
 * <p>A member that keeps its own copies (the Troupe library does) is not sent its own sequenced
 * Messages: their SequenceMessages, which everyone is sent, are enough for it to deliver them (a
 * sequencer volunteer is sent them anyway). Consumers connected through the member's ticket
 * channel read with {@link #reader()}: the member's audience, whole, and nothing else.
 */
final class MemberAudience implements EventFilter {
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final ApplicationProtocol protocol;
    private final String role;
    private final boolean volunteer;
    private final boolean keepsOwn;
    private final AtomicLong member; // 0 until the join is done: nothing addressed to it before

    /**
     * @param volunteer a sequencer volunteer is also sent a payload-less reference of every
     *        sequenced Message outside its audience: it must be able to order it
     * @param keepsOwn the member keeps a copy of what it sends: its own sequenced Messages are
     *        not sent back to it
     */
    MemberAudience(ApplicationProtocol protocol, String role, boolean volunteer, boolean keepsOwn) {
        this(protocol, role, volunteer, keepsOwn, new AtomicLong());
    }

    private MemberAudience(ApplicationProtocol protocol, String role, boolean volunteer, boolean keepsOwn,
            AtomicLong member) {
        this.protocol = protocol;
        this.role = role;
        this.volunteer = volunteer;
        this.keepsOwn = keepsOwn;
        this.member = member;
    }

    /**
     * What a consumer connected through the member's ticket channel reads: the same member (its
     * id as this audience learns it), every Message of its audience whole, its own included, and
     * no reference for ordering.
     */
    MemberAudience reader() {
        return new MemberAudience(protocol, role, false, false, member);
    }

    void member(long id) {
        member.set(id);
    }

    /** The member's id, 0 until its join is done. */
    long member() {
        return member.get();
    }

    @Override
    public Any apply(Any event) {
        if (!(event instanceof FastAny f)) {
            return event; // the manager publishes FastAnys only; nothing else carries a Message
        }
        Object struct = f.struct();
        if (struct instanceof Message m) {
            Message sent = sent(m);
            return sent == m ? event : sent == null ? null : f.withStruct(sent);
        }
        if (struct instanceof Message[] list) {
            return narrowed(f, list);
        }
        return event;
    }

    /**
     * The list event itself if every Message goes as it is, null if none goes, else a new list
     * of what goes (in order: the member's Messages, and a volunteer's references for ordering).
     */
    private Any narrowed(FastAny event, Message[] list) {
        Message[] out = null;
        int kept = 0;
        for (int i = 0; i < list.length; i++) {
            Message s = sent(list[i]);
            if (s != list[i] && out == null) {
                out = new Message[list.length];
                System.arraycopy(list, 0, out, 0, i);
                kept = i;
            }
            if (out != null && s != null) {
                out[kept++] = s;
            }
        }
        if (out == null) {
            return event;
        }
        if (kept == 0) {
            return null;
        }
        return event.withStruct(kept == out.length ? out : java.util.Arrays.copyOf(out, kept));
    }

    /** What this member is sent of {@code m}: {@code m} itself, a reference for ordering, or null. */
    private Message sent(Message m) {
        long id = member.get();
        if (receives(protocol, m.source, m.message_type, m.destination, id, role)) {
            // the member has its copy; the SequenceMessage gives its place (a volunteer orders it from this)
            return keepsOwn && !volunteer && m.sequenced && m.source == id ? null : m;
        }
        return volunteer && m.sequenced ? referenceForOrdering(m) : null;
    }

    /** A copy of {@code m} without its payload: what a sequencer needs, and nothing it may not read. */
    static Message referenceForOrdering(Message m) {
        return new Message(m.message_id, m.source, m.destination, m.message_type, NO_PAYLOAD, m.is_proactive,
                m.answers, m.sequenced, m.after);
    }

    /** True if member {@code id} in {@code role} is sent a message with these fields. */
    static boolean receives(ApplicationProtocol protocol, long source, String type, Address destination, long id,
            String role) {
        TypeRule rule = protocol.rule(type);
        if (rule != null && !rule.reaches(role)) {
            return false;
        }
        switch (destination.kind.value()) {
            case AddressKind._TO_ROLE:
                return destination.role.equals(role);
            case AddressKind._TO_MEMBER:
                return destination.member == id;
            default:
                return true;
        }
    }
}
