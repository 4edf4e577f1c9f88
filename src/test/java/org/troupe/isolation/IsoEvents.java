package org.troupe.isolation;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.OctetSeqHelper;

/** The isolation tests' event: an any holding a sequence of octets whose first 8 bytes are its sequence number. */
final class IsoEvents {
    private IsoEvents() {
    }

    static Any make(ORB orb, long seq, int size) {
        byte[] b = new byte[Math.max(size, Long.BYTES)];
        ByteBuffer.wrap(b).putLong(seq);
        Any a = orb.create_any();
        OctetSeqHelper.insert(a, b);
        return a;
    }

    static long seq(Any a) {
        return ByteBuffer.wrap(OctetSeqHelper.extract(a)).getLong();
    }

    /** {@code key=value} fields of a status line. */
    static Map<String, String> fields(String line) {
        Map<String, String> m = new TreeMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }
}
