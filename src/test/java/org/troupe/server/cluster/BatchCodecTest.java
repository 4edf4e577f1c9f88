package org.troupe.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BatchCodecTest {
    @Test
    void entriesAndRepliesRoundTrip() throws IOException {
        List<BatchCodec.Command> in = List.of(new BatchCodec.Command("gr\u00fcppe", new byte[] {1, 2, 3}),
                new BatchCodec.Command("b", new byte[0]));
        byte[] entry = BatchCodec.encodeEntry(in);
        int expected = 5;
        for (BatchCodec.Command c : in) {
            expected += c.encodedSize();
        }
        assertEquals(expected, entry.length, "encodedSize is exact, so batches respect the byte limit");
        List<BatchCodec.Command> out = BatchCodec.decodeEntry(entry);
        assertEquals("gr\u00fcppe", out.get(0).stateName());
        assertArrayEquals(new byte[] {1, 2, 3}, out.get(0).payload());
        assertEquals(0, out.get(1).payload().length);

        byte[] reply = BatchCodec.encodeReply(List.of(BatchCodec.Outcome.ok(null), BatchCodec.Outcome.failed("nope")));
        List<BatchCodec.Outcome> r = BatchCodec.decodeReply(reply);
        assertEquals(0, r.get(0).result().length);
        assertEquals("nope", r.get(1).error());
    }

    @Test
    void garbageIsRefusedWithAReason() {
        IOException e = assertThrows(IOException.class, () -> BatchCodec.decodeEntry(new byte[] {9, 0, 0, 0, 1}));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
        assertThrows(IOException.class, () -> BatchCodec.decodeEntry(new byte[] {1, 0x7f, 0, 0, 0}));
        assertThrows(IOException.class,
                () -> BatchCodec.decodeReply("x".getBytes(StandardCharsets.UTF_8)));
    }
}
