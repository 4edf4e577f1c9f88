package org.troupe.cdr;

import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CosEventComm.Disconnected;
import org.troupe.idl.Events.BatchPushConsumer;

/**
 * Client-side {@code push_batch}, marshalled by hand: the same octets the generated stub would
 * send, but each event's TypeCode comes from a {@link TypeCodeCache} and each {@link FastAny}
 * value is copied in bulk.
 */
public final class FastPush {
    private FastPush() {
    }

    /** Calls {@code target.push_batch(events[0..n))}. */
    public static void pushBatch(ORB orb, BatchPushConsumer target, Any[] events, int n) throws Disconnected {
        TypeCodeCache types = TypeCodeCache.of(orb);
        StubCall.invoke(target, "push_batch", out -> {
            reserve(out, events, n);
            out.write_ulong(n);
            for (int i = 0; i < n; i++) {
                types.write(out, events[i].type());
                events[i].write_value(out);
            }
        }, in -> null);
    }

    /** What we reserve per event for its TypeCode (a group event's is 200-600 octets). */
    private static final int TYPECODE_HINT = 640;

    /** Sizes the request buffer once for the whole batch ({@link BufferSizing}). */
    static void reserve(org.omg.CORBA.portable.OutputStream out, Any[] events, int n) {
        long hint = 4;
        for (int i = 0; i < n; i++) {
            hint += TYPECODE_HINT + (events[i] instanceof FastAny f ? f.sizeHint() : 0);
        }
        BufferSizing.reserve(out, hint);
    }
}
