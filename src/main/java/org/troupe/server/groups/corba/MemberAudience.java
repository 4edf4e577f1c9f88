package org.troupe.server.groups.corba;

import org.omg.CORBA.Any;
import org.troupe.cdr.FastAny;
import org.troupe.server.events.EventFilter;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.Message;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.TypeRule;

/**
 * Filtering at the source: which of a group's events one member's
 * consumer is sent. A Message goes to the members its type reaches by role and its address
 * names, its sender included if it is among them (self-discard is the member's own choice);
 * every other event (orders, views) goes to everyone. A MessageList (the Messages of one send
 * call) is narrowed to the Messages for the member, in their order, and skipped if none is. A
 * sequencer volunteer is sent every Message (it orders them); its stack drops what is not for
 * it. The member's stack applies the same rule to skip the sequence ids of what it is not sent.
 * A member that keeps its own copies (the Troupe library does) is not sent its own sequenced
 * Messages: their SequenceMessages, which everyone is sent, are enough for it to deliver them.
 */
final class MemberAudience implements EventFilter {
    private final ApplicationProtocol protocol;
    private final String role;
    private final boolean volunteer;
    private final boolean keepsOwn;
    private volatile long member; // 0 until the join is done: nothing addressed to it before

    /**
     * @param volunteer a sequencer volunteer is sent every Message: it must be able to order
     *        what is not for it, whenever it comes to hold the sequencer
     * @param keepsOwn the member keeps a copy of what it sends: its own sequenced Messages are
     *        not sent back to it
     */
    MemberAudience(ApplicationProtocol protocol, String role, boolean volunteer, boolean keepsOwn) {
        this.protocol = protocol;
        this.role = role;
        this.volunteer = volunteer;
        this.keepsOwn = keepsOwn;
    }

    void member(long id) {
        this.member = id;
    }

    /** The member's id, 0 until its join is done. */
    long member() {
        return member;
    }

    @Override
    public Any apply(Any event) {
        if (volunteer || !(event instanceof FastAny f)) {
            return event;
        }
        Object struct = f.struct();
        if (struct instanceof Message m) {
            return receives(m) ? event : null;
        }
        if (struct instanceof Message[] list) {
            return narrowed(f, list);
        }
        return event;
    }

    /** The list event itself if every Message is for this member, null if none is, else a new list of those that are. */
    private Any narrowed(FastAny event, Message[] list) {
        int kept = 0;
        for (Message m : list) {
            if (receives(m)) {
                kept++;
            }
        }
        if (kept == list.length) {
            return event;
        }
        if (kept == 0) {
            return null;
        }
        Message[] mine = new Message[kept];
        int k = 0;
        for (Message m : list) {
            if (receives(m)) {
                mine[k++] = m;
            }
        }
        return event.withStruct(mine);
    }

    private boolean receives(Message m) {
        if (keepsOwn && m.sequenced && m.source == member) {
            return false; // the member has its copy; the SequenceMessage gives its place
        }
        return receives(protocol, m.source, m.message_type, m.destination, member, role);
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
