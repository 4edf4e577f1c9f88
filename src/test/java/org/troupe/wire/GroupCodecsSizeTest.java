package org.troupe.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.ORB;
import org.omg.CORBA.portable.OutputStream;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.SequenceMessageListHelper;

/**
 * The size hints that let a push size its request buffer once: never below what the ORB really
 * writes (else the buffer grows and copies after all), and not far above it.
 */
@Tag("unit")
class GroupCodecsSizeTest extends org.troupe.LocalOrbTest {
    private static int written(java.util.function.Consumer<OutputStream> writer, int offset) {
        OutputStream out = orb.create_output_stream();
        for (int i = 0; i < offset; i++) {
            out.write_octet((byte) 0); // every start alignment a list can have in a request
        }
        writer.accept(out);
        return ((org.jacorb.orb.CDROutputStream) out).size() - offset;
    }

    @Test
    void hintsCoverWhatTheOrbWritesAtEveryAlignment() {
        Message[] list = new Message[50];
        SequenceMessage[] order = new SequenceMessage[50];
        for (int i = 0; i < list.length; i++) {
            Address to = i % 3 == 0 ? new Address(AddressKind.TO_ROLE, "Student" + i, 0)
                    : new Address(AddressKind.TO_GROUP, "", 0);
            list[i] = new Message(i, 7, to, "Question" + "x".repeat(i % 5), new byte[i * 37 % 1001], true,
                    new MessageRef(0, 0), true, 0);
            order[i] = new SequenceMessage(i, 7, 100 + i, to, list[i].message_type);
        }
        for (int offset = 0; offset < 8; offset++) {
            int messages = written(out -> MessageListHelper.write(out, list), offset);
            int orders = written(out -> SequenceMessageListHelper.write(out, order), offset);
            int messageHint = GroupCodecs.size(list);
            int orderHint = GroupCodecs.size(order);
            assertTrue(messageHint >= messages && messageHint < messages * 1.2,
                    "messages: hint " + messageHint + ", written " + messages + " at offset " + offset);
            assertTrue(orderHint >= orders && orderHint < orders * 1.5,
                    "orders: hint " + orderHint + ", written " + orders + " at offset " + offset);
        }
    }
}
