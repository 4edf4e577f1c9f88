package org.troupe.wire;

import org.troupe.cdr.StructCodec;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.SequenceMessageHelper;
import org.troupe.idl.Groups.SequenceMessageListHelper;
import org.troupe.idl.Groups.UpdateView;
import org.troupe.idl.Groups.UpdateViewHelper;

/**
 * The codecs of the structs that flow through a group's channel: with them, anys holding a
 * Message, MessageList, SequenceMessage(List) or UpdateView are marshalled straight from the Java struct and read
 * straight into one, by the generated helpers (bulk octet copies for payloads).
 */
public final class GroupCodecs {
    public static final StructCodec MESSAGE = StructCodec.of(MessageHelper::read, MessageHelper::write, Message.class,
            GroupCodecs::size);
    public static final StructCodec MESSAGE_LIST = StructCodec.of(MessageListHelper::read, MessageListHelper::write,
            Message[].class, GroupCodecs::size);
    public static final StructCodec SEQUENCE = StructCodec.of(SequenceMessageHelper::read, SequenceMessageHelper::write,
            SequenceMessage.class, GroupCodecs::size);
    public static final StructCodec SEQUENCE_LIST = StructCodec.of(SequenceMessageListHelper::read,
            SequenceMessageListHelper::write, SequenceMessage[].class, GroupCodecs::size);
    public static final StructCodec VIEW = StructCodec.of(UpdateViewHelper::read, UpdateViewHelper::write,
            UpdateView.class);

    static {
        StructCodec.register(MessageHelper.id(), MESSAGE);
        StructCodec.register(MessageListHelper.id(), MESSAGE_LIST);
        StructCodec.register(SequenceMessageHelper.id(), SEQUENCE);
        StructCodec.register(SequenceMessageListHelper.id(), SEQUENCE_LIST);
        StructCodec.register(UpdateViewHelper.id(), VIEW);
    }

    private GroupCodecs() {
    }

    // CDR sizes, rounded up: fixed fields with their alignment, plus the strings and the payload
    private static final int MESSAGE_FIXED = 88;
    private static final int SEQUENCE_FIXED = 56;

    /** About how many octets {@code m} takes in CDR (at least as many, for plain ASCII strings). */
    static int size(Message m) {
        return MESSAGE_FIXED + m.message_type.length() + m.destination.role.length() + m.payload.length;
    }

    /** About how many octets {@code list} takes in CDR: at least as many, for plain ASCII strings. */
    public static int size(Message[] list) {
        long n = 4;
        for (Message m : list) {
            n += size(m);
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    static int size(SequenceMessage s) {
        return SEQUENCE_FIXED + s.message_type.length() + s.destination.role.length();
    }

    static int size(SequenceMessage[] list) {
        long n = 4;
        for (SequenceMessage s : list) {
            n += size(s);
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** Registers the codecs (idempotent): after this, reading a group event yields the Java struct. */
    public static void install() {
        // the static initialiser did it
    }
}
