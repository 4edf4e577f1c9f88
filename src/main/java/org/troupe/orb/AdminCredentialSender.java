package org.troupe.orb;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.omg.IOP.ServiceContext;
import org.omg.PortableInterceptor.ClientRequestInfo;
import org.omg.PortableInterceptor.ORBInitInfo;

/**
 * Presents a client's admin credential to the server: a client request interceptor that adds the
 * secret, in service context {@link AdminOperations#CONTEXT_ID}, to administrative calls only (creating,
 * destroying, listing, hosting, writing to naming: {@link AdminOperations}), so that a
 * member's ordinary calls never carry it.
 *
 * <p>A client ORB gets one when the process has a credential ({@link #useForThisProcess}, which
 * the CLI calls with what {@code --admin-secret-file} or the environment gives) at the time the
 * ORB is made ({@link OrbFactory#clientProperties}), or when its properties were
 * {@link #install}ed and {@link #of}{@code (orb).use(credential)} is called.
 */
public final class AdminCredentialSender extends PassiveClientInterceptor {
    private static final long serialVersionUID = 1L;
    /** Weak: a client ORB shut down and dropped takes its sender with it. */
    private static final Map<org.omg.CORBA.ORB, AdminCredentialSender> BY_ORB =
            Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile AdminCredential processCredential;

    private transient volatile byte[] secret;

    private AdminCredentialSender(AdminCredential c) {
        this.secret = c == null ? null : c.octets();
    }

    /**
     * The credential every client ORB made from now on in this process presents (null: none).
     */
    public static void useForThisProcess(AdminCredential c) {
        processCredential = c;
    }

    /** The credential client ORBs of this process present, or null. */
    public static AdminCredential forThisProcess() {
        return processCredential;
    }

    /** Adds the sender to ORBs made with these properties. */
    public static void install(java.util.Properties orbProperties) {
        orbProperties.setProperty("org.omg.PortableInterceptor.ORBInitializerClass." + Initializer.class.getName(), "");
    }

    /** The sender of an ORB made with {@link #install}ed properties (null if none). */
    public static AdminCredentialSender of(org.omg.CORBA.ORB orb) {
        return BY_ORB.get(orb);
    }

    /** Forgets an ORB that is shut down. */
    public static void release(org.omg.CORBA.ORB orb) {
        BY_ORB.remove(orb);
    }

    /** From now on this ORB presents {@code c} (null: nothing). */
    public void use(AdminCredential c) {
        this.secret = c == null ? null : c.octets();
    }

    @Override
    public void send_request(ClientRequestInfo ri) {
        byte[] s = secret;
        if (s != null && AdminOperations.mayBeAdministrative(ri.operation())) {
            ri.add_request_service_context(new ServiceContext(AdminOperations.CONTEXT_ID, s), true);
        }
    }

    @Override
    public String name() {
        return "TroupeAdminCredentialSender";
    }

    @Override
    public String toString() {
        return "AdminCredentialSender";
    }

    /** Registers one sender per ORB, with the process's credential at that time. */
    public static final class Initializer extends PostInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public void post_init(ORBInitInfo info) {
            AdminCredentialSender s = new AdminCredentialSender(processCredential);
            try {
                info.add_client_request_interceptor(s);
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new org.omg.CORBA.INITIALIZE("Troupe: admin credential sender registered twice");
            }
            BY_ORB.put(((org.jacorb.orb.portableInterceptor.ORBInitInfoImpl) info).getORB(), s);
        }
    }
}
