package org.troupe.cdr;

import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.portable.ApplicationException;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.ObjectImpl;
import org.omg.CORBA.portable.OutputStream;
import org.omg.CORBA.portable.RemarshalException;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.DisconnectedHelper;
import org.troupe.idl.Events.BatchPushConsumer;

/**
 * Client-side {@code push_batch}, marshalled by hand: the same octets the generated stub would
 * send, but each event's TypeCode comes from a {@link TypeCodeCache} and each
 * {@link FastAny} value is copied in bulk.
 */
public final class FastPush {
    private FastPush() {
    }

    /** Calls {@code target.push_batch(events[0..n))}. */
    public static void pushBatch(ORB orb, BatchPushConsumer target, Any[] events, int n) throws Disconnected {
        TypeCodeCache types = TypeCodeCache.of(orb);
        ObjectImpl stub = (ObjectImpl) target;
        while (true) {
            InputStream in = null;
            try {
                OutputStream out = stub._request("push_batch", true);
                out.write_ulong(n);
                for (int i = 0; i < n; i++) {
                    Any a = events[i];
                    types.write(out, a.type());
                    a.write_value(out);
                }
                in = stub._invoke(out);
                return;
            } catch (RemarshalException e) {
                // the ORB asks for the request to be sent again (location forward)
            } catch (ApplicationException e) {
                if (e.getId().equals(DisconnectedHelper.id())) {
                    throw DisconnectedHelper.read(e.getInputStream());
                }
                throw new org.omg.CORBA.UNKNOWN("Troupe: unexpected user exception " + e.getId());
            } finally {
                stub._releaseReply(in);
            }
        }
    }
}
