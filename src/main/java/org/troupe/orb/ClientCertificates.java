package org.troupe.orb;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.TCKind;
import org.omg.PortableInterceptor.Current;
import org.omg.PortableInterceptor.CurrentHelper;
import org.omg.PortableInterceptor.ORBInitInfo;
import org.omg.PortableInterceptor.ServerRequestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the request being served was sent over a TLS connection whose client showed a
 * certificate that the server's trust store verified, and whose: the hook an authorisation
 * check asks ("is this caller authenticated by a client certificate?").
 *
 * <p>A server request interceptor, installed on TLS servers by {@link TlsConfig}, reads the peer
 * certificate of the connection a request came in on (JSSE has verified it during the handshake,
 * against the server's trust store) and puts its subject in a request-scoped slot; the servant,
 * on the request's thread, reads it with {@link #subject}. A plaintext request, or one from a
 * client without a certificate, has none. JacORB's own interceptor for this is not used: it calls
 * {@code getPeerCertificateChain}, which throws since Java 15.
 */
public final class ClientCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificates.class);
    /** The ORB property that installs the interceptor. */
    static final String INITIALIZER_PROPERTY = "org.omg.PortableInterceptor.ORBInitializerClass.troupe_client_certificates";
    /** Each ORB's slot (several ORBs may live in one JVM). */
    private static final Map<ORB, Integer> SLOTS = new WeakHashMap<>();

    private ClientCertificates() {
    }

    /**
     * The subject of the verified client certificate of the request this thread is serving on
     * {@code orb}, or null: no request, plain IIOP, or a client without a certificate.
     */
    public static X500Principal subject(ORB orb) {
        Integer slot;
        synchronized (SLOTS) {
            slot = SLOTS.get(orb);
        }
        if (slot == null) {
            return null;
        }
        try {
            Current current = CurrentHelper.narrow(orb.resolve_initial_references("PICurrent"));
            Any a = current.get_slot(slot);
            if (a == null || a.type().kind() != TCKind.tk_string) {
                return null;
            }
            return new X500Principal(a.extract_string());
        } catch (org.omg.CORBA.ORBPackage.InvalidName | org.omg.PortableInterceptor.InvalidSlot e) {
            return null;
        }
    }

    /** Whether the request this thread is serving comes from a client authenticated by a certificate. */
    public static boolean authenticated(ORB orb) {
        return subject(orb) != null;
    }

    /** Registers the interceptor and allocates its slot (named in {@link #INITIALIZER_PROPERTY}). */
    public static final class Initializer extends PostInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public void post_init(ORBInitInfo info) {
            int slot = info.allocate_slot_id();
            ORB orb = ((org.jacorb.orb.portableInterceptor.ORBInitInfoImpl) info).getORB();
            synchronized (SLOTS) {
                SLOTS.put(orb, slot);
            }
            try {
                info.add_server_request_interceptor(new Reader(orb, slot));
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new IllegalStateException("the client certificate reader is installed twice", e);
            }
        }
    }

    /** Copies the connection's verified client certificate subject into the request's slot. */
    private static final class Reader extends PassiveServerInterceptor {
        private static final long serialVersionUID = 1L;
        private final transient ORB orb;
        private final int slot;

        Reader(ORB orb, int slot) {
            this.orb = orb;
            this.slot = slot;
        }

        @Override
        public void receive_request_service_contexts(ServerRequestInfo ri) {
            try {
                String subject = peerSubject(ri);
                if (subject != null) {
                    Any a = orb.create_any();
                    a.insert_string(subject);
                    ri.set_slot(slot, a);
                }
            } catch (RuntimeException | org.omg.PortableInterceptor.InvalidSlot e) {
                // a request whose peer cannot be read is served as unauthenticated
                LOG.debug("cannot read the client certificate of a request: {}", e.toString());
            }
        }

        private static String peerSubject(ServerRequestInfo ri) {
            if (!(ri instanceof org.jacorb.orb.portableInterceptor.ServerRequestInfoImpl impl)
                    || impl.getConnection() == null
                    || !(impl.getConnection().getTransport() instanceof org.jacorb.orb.iiop.IIOPConnection c)
                    || !(c.getSocket() instanceof SSLSocket tls)) {
                return null;
            }
            try {
                Certificate[] chain = tls.getSession().getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate x
                        ? x.getSubjectX500Principal().getName() : null;
            } catch (SSLPeerUnverifiedException e) {
                return null; // no client certificate
            }
        }

        @Override
        public String name() {
            return "TroupeClientCertificates";
        }

    }
}
