package org.troupe.orb;

import java.util.Set;
import org.jacorb.orb.giop.GIOPConnection;
import org.jacorb.orb.giop.RequestInputStream;
import org.jacorb.orb.giop.ServerRequestListener;
import org.omg.CORBA.portable.InvokeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs chosen incoming requests on the thread that read them from the connection, instead of
 * JacORB's usual path (the connection's reader hands the request to the POA's queue, whose
 * controller thread hands it to a request processor thread). For a member receiving its group's
 * messages that is two thread hand-offs fewer per message.
 *
 * <pre>
 *  JacORB:  socket -> reader thread -> POA queue -> controller thread -> request processor -> servant
 *  here:    socket -> reader thread -> servant          (a {@link Target} that asks for it, else as JacORB)
 * </pre>
 *
 * <p>Only a servant of the root POA that implements {@link Target} and answers true gets it, for
 * the operations it names, and only for a twoway request on a connection whose code sets are
 * negotiated, while the POA manager is active; anything else takes JacORB's path unchanged. The
 * servant must not block for long: while it runs, nothing else is read from that connection
 * (a member's other groups, if the server pushes to them over it).
 *
 * <p>JacORB 3.9 offers no hook for this: {@link #install} replaces the object adapter's request
 * listener (a private field) with a subclass, through reflection, before the ORB accepts a
 * connection. It is not installed where requests must pass server interceptors (they would be
 * skipped) or where call-backs share a client's own connection (bidirectional GIOP, over TLS):
 * there a servant that called out and waited would wait for a reply that its own blocked reader
 * must read. If JacORB changes, it logs once and changes nothing.
 */
public final class ReaderDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderDispatch.class);

    /** A servant that may run some of its operations on the reader thread. */
    public interface Target {
        /** True if {@code operation} may run on the thread that read it (now: it may change). */
        boolean onReaderThread(String operation);
    }

    /** True while this thread runs a request it read itself. */
    private static final ThreadLocal<Boolean> ON_READER = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /**
     * True if the calling thread is a connection's reader running a request: a call that the
     * server answers only after calling this ORB back over that connection (joining a group:
     * the server checks the new consumer) would wait for a read this thread must do.
     */
    public static boolean onReaderThread() {
        return ON_READER.get();
    }

    /** The operations that are ever considered (a cheap first test before the servant is found). */
    private static final Set<String> OPERATIONS = Set.of("push_batch", "push");

    private final Listener listener;

    private ReaderDispatch(Listener listener) {
        this.listener = listener;
    }

    /**
     * From now on requests are looked at on the reader thread: a {@link Target} of this ORB may
     * want it. Until then the installed listener costs one test per request.
     */
    public void targetsExist() {
        listener.looking = true;
    }

    /**
     * Installs reader dispatch on {@code orb}, whose root POA is {@code rootPoa}; call it after
     * resolving the root POA and before activating its manager. Returns null if it is not
     * installed (then every request takes JacORB's path).
     *
     * @param bidirectional true if the ORB takes call-backs over its own client connections (TLS)
     */
    public static ReaderDispatch install(org.omg.CORBA.ORB orb, org.omg.PortableServer.POA rootPoa,
            boolean bidirectional) {
        if (!(orb instanceof org.jacorb.orb.ORB jacorb) || !(rootPoa instanceof org.jacorb.poa.POA poa)) {
            return null;
        }
        if (bidirectional || jacorb.hasServerRequestInterceptors()
                || jacorb.getConfiguration().getAttributeAsBoolean("jacorb.security.support_ssl", false)) {
            return null; // TLS: JacORB's listener checks transport security, which this would skip
        }
        try {
            org.jacorb.orb.BasicAdapter adapter = jacorb.getBasicAdapter();
            java.lang.reflect.Field field = org.jacorb.orb.BasicAdapter.class.getDeclaredField("request_listener");
            field.setAccessible(true);
            Listener listener = new Listener(jacorb, poa);
            listener.configure(jacorb.getConfiguration());
            field.set(adapter, listener);
            return new ReaderDispatch(listener);
        } catch (ReflectiveOperationException | RuntimeException | org.jacorb.config.ConfigurationException e) {
            LOG.info("requests are dispatched as JacORB does (reader dispatch not available: {})", e.toString());
            return null;
        }
    }

    /** JacORB's listener, but a {@link Target}'s chosen requests run where they were read. */
    static final class Listener extends ServerRequestListener {
        private final org.jacorb.orb.ORB orb;
        private final org.jacorb.poa.POA root;
        /** A twoway request's response flags (the reply follows the invocation). */
        private static final int SYNC_WITH_TARGET = 0x03;
        /** Whether any servant may want the reader thread (else no request is looked at). */
        volatile boolean looking;

        Listener(org.jacorb.orb.ORB orb, org.jacorb.poa.POA root) {
            super(orb, root);
            this.orb = orb;
            this.root = root;
        }

        @Override
        public void requestReceived(byte[] request, GIOPConnection connection) {
            if (!looking || !connection.isTCSNegotiated() || !tryHere(request, connection)) {
                super.requestReceived(request, connection);
            }
        }

        /** Runs the request here and returns true, or returns false having changed nothing. */
        private boolean tryHere(byte[] request, GIOPConnection connection) {
            RequestInputStream in;
            org.jacorb.orb.dsi.ServerRequest call;
            org.omg.PortableServer.Servant servant;
            try {
                in = new RequestInputStream(orb, connection, request);
                String operation = in.req_hdr.operation;
                if (in.isLocateRequest() || !OPERATIONS.contains(operation)
                        || in.req_hdr.response_flags != SYNC_WITH_TARGET) {
                    return false;
                }
                call = new org.jacorb.orb.dsi.ServerRequest(orb, in, connection);
                if (!call.getScopes().stream().allMatch(String::isEmpty)
                        || root.the_POAManager().get_state().value() != org.omg.PortableServer.POAManagerPackage.State._ACTIVE) {
                    return false; // not the root POA's, or the POA does not take requests now
                }
                servant = root.id_to_servant(call.objectId());
                if (!(servant instanceof Target t) || !t.onReaderThread(operation)
                        || !(servant instanceof InvokeHandler)) {
                    return false;
                }
            } catch (org.omg.PortableServer.POAPackage.ObjectNotActive | org.omg.PortableServer.POAPackage.WrongPolicy
                    | RuntimeException e) {
                return false; // JacORB's path answers it (with its own error, if any)
            }
            // from here on as JacORB's listener and request processor do, on this thread
            connection.incPendingMessages();
            in.setCodeSet(connection.getTCS(), connection.getTCSW());
            in.updateMutatorConnection(connection);
            ON_READER.set(Boolean.TRUE);
            try {
                ((InvokeHandler) servant)._invoke(call.operation(), call.getInputStream(), call);
            } catch (org.omg.CORBA.SystemException e) {
                call.setSystemException(e);
            } catch (RuntimeException | Error e) { // the reader thread must go on reading
                LOG.warn("{} on the reader thread failed", call.operation(), e);
                call.setSystemException(new org.omg.CORBA.UNKNOWN("Troupe: " + call.operation() + " failed: " + e));
            } finally {
                ON_READER.set(Boolean.FALSE);
            }
            call.reply();
            return true;
        }
    }
}
