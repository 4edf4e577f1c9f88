package org.troupe.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** JSON strings come out quoted and escaped (RFC 8259). */
@Tag("unit")
class JsonTest {
    @Test
    void quotesAndEscapes() {
        assertEquals("\"plain\"", Json.quote("plain"));
        assertEquals("null", Json.quote(null));
        assertEquals("\"a\\\"b\\\\c\"", Json.quote("a\"b\\c"));
        assertEquals("\"l1\\nl2\\r\\t\"", Json.quote("l1\nl2\r\t"));
        assertEquals("\"\\u0001\\u001f\\u2028\"", Json.quote("\u0001\u001f\u2028"));
        assertEquals("\"é ☃\"", Json.quote("é ☃"));
    }
}
