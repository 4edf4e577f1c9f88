package org.troupe.cdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.jacorb.orb.CDROutputStream;
import org.jacorb.orb.CodeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.wire.GroupCodecs;

/**
 * An event written to many consumers is encoded once per start alignment and code set, and every
 * request gets exactly the octets the helper would have written there.
 */
@Tag("unit")
class SharedEncodingTest extends org.troupe.LocalOrbTest {
    private static Message[] list(String type) {
        Message[] ms = new Message[20];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = new Message(i + 1, 7, i % 2 == 0 ? new Address(AddressKind.TO_GROUP, "", 0)
                    : new Address(AddressKind.TO_ROLE, "Student", 0), type, new byte[i * 53 % 700], i % 3 == 0,
                    new MessageRef(i, i), true, i);
        }
        return ms;
    }

    /** The octets after {@code offset} leading octets, written by {@code writer} with code set {@code cs}. */
    private static byte[] written(int offset, CodeSet cs, java.util.function.Consumer<CDROutputStream> writer) {
        CDROutputStream out = (CDROutputStream) orb.create_output_stream();
        out.setCodeSets(cs, CodeSet.getCodeSet("UTF16"));
        for (int i = 0; i < offset; i++) {
            out.write_octet((byte) 0x55);
        }
        writer.accept(out);
        byte[] all = out.getBufferCopy();
        return Arrays.copyOfRange(all, offset, all.length);
    }

    @Test
    void everyWriteIsWhatTheHelperWritesAtItsAlignmentAndCodeSet() {
        org.junit.jupiter.api.Assertions.assertTrue(SharedEncoding.available(), "the JacORB stream state is readable");
        CodeSet latin1 = CodeSet.getCodeSet("ISO8859_1");
        CodeSet utf8 = CodeSet.getCodeSet("UTF8");
        for (String type : new String[] {"Question", "Frage-\u00fcber-\u00e4"}) {
            Message[] ms = list(type);
            FastAny event = FastAny.ofStruct(orb, MessageListHelper.type(), GroupCodecs.MESSAGE_LIST, ms);
            for (int round = 0; round < 3; round++) { // the first round encodes, the others copy
                for (CodeSet cs : new CodeSet[] {latin1, utf8}) {
                    for (int offset = 0; offset < 12; offset++) {
                        byte[] expected = written(offset, cs, out -> MessageListHelper.write(out, ms));
                        byte[] shared = written(offset, cs, event::write_value);
                        assertArrayEquals(expected, shared, type + " " + cs.getName() + " offset " + offset
                                + " round " + round);
                    }
                }
            }
        }
    }

    @Test
    void codeSetsMatterForNonAsciiTypes() {
        Message[] ms = list("\u00fcber");
        byte[] latin1 = written(0, CodeSet.getCodeSet("ISO8859_1"), out -> MessageListHelper.write(out, ms));
        byte[] utf8 = written(0, CodeSet.getCodeSet("UTF8"), out -> MessageListHelper.write(out, ms));
        assertFalse(Arrays.equals(latin1, utf8), "else the test above would not show the key is needed");
    }
}
