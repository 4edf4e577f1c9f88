package org.troupe.bench;

import java.nio.ByteBuffer;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.OctetSeqHelper;

/**
 * The bench's event: an {@code any} (a {@link org.troupe.cdr.FastAny}, for both systems) holding a
 * {@code sequence<octet>} of the chosen size whose
 * first 16 bytes are the sequence number and the {@link System#nanoTime()} at publish (the
 * monotonic clock is shared by all processes on one Linux machine).
 */
final class BenchEvents {
    static final int HEADER = 16;

    private BenchEvents() {
    }

    static Any make(ORB orb, long seq, int size) {
        byte[] b = new byte[Math.max(size, HEADER)];
        ByteBuffer.wrap(b).putLong(seq).putLong(System.nanoTime());
        Any a = org.troupe.cdr.FastAny.create(orb); // a standard Any, cheap to build and marshal
        OctetSeqHelper.insert(a, b);
        return a;
    }

    /** {seq, sentNanos}. */
    static long[] read(Any a, long[] into) {
        ByteBuffer b = ByteBuffer.wrap(OctetSeqHelper.extract(a));
        into[0] = b.getLong();
        into[1] = b.getLong();
        return into;
    }
}
