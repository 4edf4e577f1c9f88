package org.troupe.cdr;

import org.omg.CORBA.Any;
import org.omg.CORBA.portable.ApplicationException;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.ObjectImpl;
import org.omg.CORBA.portable.OutputStream;
import org.omg.CORBA.portable.RemarshalException;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.DisconnectedHelper;
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
        ObjectImpl target = (ObjectImpl) supplier;
        while (true) {
            InputStream in = null;
            try {
                OutputStream out = target._request("try_pull_batch", true);
                out.write_ulong(max);
                in = target._invoke(out);
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
            } catch (RemarshalException e) {
                // the ORB asks for the request to be sent again (location forward)
            } catch (ApplicationException e) {
                if (e.getId().equals(DisconnectedHelper.id())) {
                    throw DisconnectedHelper.read(e.getInputStream());
                }
                throw new org.omg.CORBA.UNKNOWN("Troupe: unexpected user exception " + e.getId());
            } finally {
                target._releaseReply(in);
            }
        }
    }
}
