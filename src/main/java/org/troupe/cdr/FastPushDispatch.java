package org.troupe.cdr;

import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.OutputStream;
import org.omg.CORBA.portable.ResponseHandler;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.DisconnectedHelper;
import org.troupe.idl.Events.BatchPushConsumerOperations;

/**
 * Server-side decoding of {@code push(any)} and {@code push_batch(EventBatch)} into
 * {@link FastAny}s. A push-consumer servant overrides its skeleton's {@code _invoke} and calls
 * {@link #invoke} first; it falls back to the generated skeleton for every other operation.
 */
public final class FastPushDispatch {
    private FastPushDispatch() {
    }

    /**
     * Handles {@code push} and {@code push_batch}; returns null for any other operation (the
     * caller then uses its generated skeleton).
     */
    public static OutputStream invoke(ORB orb, String method, InputStream in, ResponseHandler handler,
            BatchPushConsumerOperations target) {
        switch (method) {
            case "push_batch": {
                if (org.troupe.trace.HopTrace.ON) {
                    org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.MEMBER_ENTER);
                }
                int n = in.read_ulong();
                if (n < 0 || n > (1 << 24)) { // each event takes >= 4 bytes; refuse absurd counts before allocating
                    throw new org.omg.CORBA.MARSHAL("Troupe: push_batch: bad event count " + Integer.toUnsignedString(n));
                }
                Any[] events = new Any[n];
                TypeCodeCache types = TypeCodeCache.of(orb);
                for (int i = 0; i < n; i++) {
                    events[i] = FastAny.read(orb, types, in);
                }
                OutputStream out = handler.createReply();
                try {
                    target.push_batch(events);
                } catch (Disconnected e) {
                    out = handler.createExceptionReply();
                    DisconnectedHelper.write(out, e);
                }
                return out;
            }
            case "push": {
                Any event = FastAny.read(orb, in);
                OutputStream out = handler.createReply();
                try {
                    target.push(event);
                } catch (Disconnected e) {
                    out = handler.createExceptionReply();
                    DisconnectedHelper.write(out, e);
                }
                return out;
            }
            default:
                return null;
        }
    }
}
