package org.troupe.orb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The guard follows GIOP messages across any split of the bytes, in both byte orders, and ends
 * the connection at the first header over the limit or that is not GIOP, before its body.
 */
@Tag("unit")
class GiopSizeGuardTest {

    private static byte[] message(int size, boolean little) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {'G', 'I', 'O', 'P', 1, 2, (byte) (little ? 1 : 0), 0});
        if (little) {
            b.writeBytes(new byte[] {(byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)});
        } else {
            b.writeBytes(new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
        }
        for (int i = 0; i < size; i++) {
            b.write(i);
        }
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Reads everything through the guard, {@code chunk} bytes per call. */
    private static byte[] readAll(byte[] in, long limit, int chunk) throws IOException {
        InputStream g = new GiopSizeGuard(new ByteArrayInputStream(in), limit, "127.0.0.1:5000");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        int n;
        while ((n = g.read(buf, 0, chunk)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void messagesWithinTheLimitPassUnchangedWhateverTheSplit() throws IOException {
        byte[] stream = concat(message(100, false), message(0, true), message(1000, true), message(7, false));
        for (int chunk : new int[] {1, 5, 12, 13, 4096}) {
            assertArrayEquals(stream, readAll(stream, 1000, chunk), "chunks of " + chunk);
        }
    }

    @Test
    void aHeaderOverTheLimitEndsTheConnectionBeforeItsBody() {
        byte[] stream = concat(message(10, false), message(1001, true));
        IOException e = assertThrows(IOException.class, () -> readAll(stream, 1000, 3));
        assertEquals("connection from 127.0.0.1:5000 closed: it announced a GIOP message of 1001 octets, over the "
                + "limit of 1000", e.getMessage());
        byte[] giga = {'G', 'I', 'O', 'P', 1, 2, 0, 0, 0x40, 0, 0, 0}; // 1 GiB announced, big-endian
        IOException big = assertThrows(IOException.class, () -> readAll(giga, 64L << 20, 4096));
        assertTrue(big.getMessage().contains("1073741824 octets"), big.getMessage());
    }

    @Test
    void bytesThatAreNotGiopEndTheConnection() {
        IOException e = assertThrows(IOException.class, () -> readAll("GET / HTTP/1.1\r\n\r\n".getBytes(), 1000, 64));
        assertEquals("connection from 127.0.0.1:5000 closed: not a GIOP message", e.getMessage());
    }
}
