package org.troupe.server.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.omg.CORBA.CompletionStatus;
import org.omg.CORBA.NO_PERMISSION;
import org.omg.IOP.ServiceContext;
import org.omg.PortableInterceptor.ORBInitInfo;
import org.omg.PortableInterceptor.ServerRequestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.orb.AdminCredential;
import org.troupe.orb.AdminOperations;

/**
 * Only a caller that presents the admin credential may administer the server: create, destroy
 * and list groups and channels, read a group's members and counters from outside it, host
 * members, and write to the embedded naming service. Members' own calls (find_group, the
 * descriptor, join, send, order, heartbeat, leave, resume), channel clients' calls and naming
 * look-ups stay open.
 *
 * <p>One server request interceptor, installed on a server ORB that has a credential
 * ({@link #install}, then {@link #of}{@code (orb).require(credential)} before the POA manager is
 * activated). The client presents the secret in a service context
 * ({@link AdminOperations#CONTEXT_ID}, added by {@code org.troupe.orb.AdminCredentialSender}); a call on an administrative (interface,
 * operation) pair ({@link AdminOperations}) without it, or with another secret, gets
 * {@code NO_PERMISSION} with minor code {@link AdminOperations#MINOR_MISSING} or
 * {@link AdminOperations#MINOR_WRONG} and a message that says so, and the servant is
 * never called. Calls made inside the server's own process (colocated: the server binding its
 * channels in its naming service) are its own and pass.
 */
public final class AdminGate extends org.troupe.orb.PassiveServerInterceptor {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdminGate.class);
    private static final Map<org.omg.CORBA.ORB, AdminGate> BY_ORB = new ConcurrentHashMap<>();

    private transient volatile AdminCredential credential;
    private final AtomicLong lastLogged = new AtomicLong();

    private AdminGate() {
    }

    /** Adds the gate to ORBs made with these properties; each must then be given its credential. */
    public static void install(java.util.Properties orbProperties) {
        orbProperties.setProperty("org.omg.PortableInterceptor.ORBInitializerClass." + Initializer.class.getName(), "");
    }

    /** The gate of an ORB made with {@link #install}ed properties (null if none). */
    public static AdminGate of(org.omg.CORBA.ORB orb) {
        return BY_ORB.get(orb);
    }

    /** Forgets an ORB that is shut down. */
    public static void release(org.omg.CORBA.ORB orb) {
        BY_ORB.remove(orb);
    }

    /** From now on, administrative calls must present this credential. */
    public void require(AdminCredential c) {
        this.credential = java.util.Objects.requireNonNull(c, "credential");
    }

    @Override
    public void receive_request(ServerRequestInfo ri) {
        String op = ri.operation();
        if (!AdminOperations.mayBeAdministrative(op) || colocated(ri)
                || !AdminOperations.isAdministrative(op, ri::target_is_a)) {
            return;
        }
        byte[] presented = presented(ri);
        AdminCredential c = credential;
        if (c != null && c.matches(presented)) {
            return;
        }
        boolean missing = presented == null;
        if (LOG.isInfoEnabled()) {
            long now = System.nanoTime();
            long last = lastLogged.get();
            if (now - last > 1_000_000_000L && lastLogged.compareAndSet(last, now)) { // at most one line a second
                LOG.info("refused {} on {}: {} admin credential", op, ri.target_most_derived_interface(),
                        missing ? "no" : "a wrong");
            }
        }
        throw new NO_PERMISSION("Troupe: " + op + " requires the server's admin credential"
                + (missing ? "" : "; the one given is wrong"),
                missing ? AdminOperations.MINOR_MISSING : AdminOperations.MINOR_WRONG, CompletionStatus.COMPLETED_NO);
    }

    /** A call from inside the server's own process (a colocated call) has no connection. */
    private static boolean colocated(ServerRequestInfo ri) {
        return ri instanceof org.jacorb.orb.portableInterceptor.ServerRequestInfoImpl impl
                && impl.isLocalInterceptor();
    }

    private static byte[] presented(ServerRequestInfo ri) {
        try {
            ServiceContext sc = ri.get_request_service_context(AdminOperations.CONTEXT_ID);
            return sc.context_data;
        } catch (org.omg.CORBA.BAD_PARAM e) { // no such context
            return null;
        }
    }

    @Override
    public String name() {
        return "TroupeAdminGate";
    }

    @Override
    public String toString() {
        return "AdminGate";
    }

    /** Registers one gate per ORB. */
    public static final class Initializer extends org.troupe.orb.PostInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public void post_init(ORBInitInfo info) {
            AdminGate g = new AdminGate();
            try {
                info.add_server_request_interceptor(g);
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new org.omg.CORBA.INITIALIZE("Troupe: admin gate registered twice");
            }
            BY_ORB.put(((org.jacorb.orb.portableInterceptor.ORBInitInfoImpl) info).getORB(), g);
        }
    }
}
