package org.troupe.cdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.portable.OutputStream;

/** A reserved JacORB stream is written without growing (and copying) its buffer, and writes the same octets. */
@Tag("unit")
class BufferSizingTest extends org.troupe.LocalOrbTest {
    private static byte[] buffer(OutputStream out) throws Exception {
        Field f = org.jacorb.orb.CDROutputStream.class.getDeclaredField("buffer");
        f.setAccessible(true);
        return (byte[]) f.get(out);
    }

    private static void write(OutputStream out) {
        out.write_ulong(7);
        for (int i = 0; i < 200; i++) {
            out.write_longlong(i);
            out.write_string("Question");
            out.write_octet_array(new byte[1000], 0, 1000);
        }
    }

    @Test
    void aReservedStreamKeepsItsBufferAndWritesTheSameOctets() throws Exception {
        OutputStream grown = orb.create_output_stream();
        byte[] first = buffer(grown);
        write(grown);
        assertNotSame(first, buffer(grown), "unreserved: the buffer was replaced as it filled");

        OutputStream sized = orb.create_output_stream();
        sized.write_octet((byte) 1); // something before the reservation, as a request header is
        BufferSizing.reserve(sized, 210_000);
        byte[] reserved = buffer(sized);
        write(sized);
        assertSame(reserved, buffer(sized), "reserved: written in place");

        OutputStream plain = orb.create_output_stream();
        plain.write_octet((byte) 1);
        write(plain);
        byte[] a = ((org.jacorb.orb.CDROutputStream) sized).getBufferCopy();
        byte[] b = ((org.jacorb.orb.CDROutputStream) plain).getBufferCopy();
        assertEquals(b.length, a.length);
        assertArrayEquals(b, a, "the same octets, alignment included");
    }
}
