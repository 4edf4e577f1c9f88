package org.troupe.cdr;

import org.omg.CORBA.Any;
import org.omg.CosEventComm.Disconnected;
import org.troupe.idl.Events.BatchPullSupplier;

/**
 * Client-side {@code try_pull_batch} whose reply is decoded into {@link FastAny}s (the generated
 * stub would decode into the ORB's slow Any). Same wire format as the stub.
 */
public final class FastPull {
    private FastPull() {
    }

    /** Calls {@code supplier.try_pull_batch(max)}. */
    public static Any[] tryPullBatch(org.omg.CORBA.ORB orb, BatchPullSupplier supplier, int max) throws Disconnected {
        return StubCall.invoke(supplier, "try_pull_batch", out -> out.write_ulong(max), in -> {
            int n = in.read_ulong();
            if (n < 0 || n > (1 << 24)) {
                throw new org.omg.CORBA.MARSHAL("Troupe: try_pull_batch: bad event count " + Integer.toUnsignedString(n));
            }
            Any[] events = new Any[n];
            TypeCodeCache types = TypeCodeCache.of(orb);
            for (int i = 0; i < n; i++) {
                events[i] = FastAny.read(orb, types, in);
            }
            return events;
        });
    }
}
