package org.troupe.orb;

import java.util.Properties;
import org.omg.CORBA.ORB;

/**
 * Creates JacORB ORBs with the settings Troupe relies on.
 *
 * <p>Every setting here answers a measured JacORB trap: the POA request queue waits instead of
 * silently dropping requests, twoway calls time out instead of waiting forever on a stopped peer,
 * a dead peer is detected at once instead of after several connection retries, and several ORBs
 * in one JVM talk over real IIOP instead of JacORB's slow loopback shortcut.
 */
public final class OrbFactory {

    /** Object key under which a Troupe server publishes its event channel factory. */
    public static final String FACTORY_KEY = "TroupeEventChannelFactory";
    /** Object key under which a Troupe server publishes its Groups Administrator. */
    public static final String GROUPS_KEY = "TroupeGroups";
    /** Object key under which a Troupe server publishes its factory of hosted members (idl/TroupeHosted.idl). */
    public static final String HOSTED_KEY = "TroupeHosted";
    /** JacORB implementation name: the first part of every persistent Troupe object key. */
    public static final String IMPL_NAME = "Troupe";

    private OrbFactory() {
    }

    /**
     * Properties for a server ORB listening on {@code host:port}.
     *
     * @param replyTimeoutMillis how long an outgoing call (a push to a consumer, a pull from a
     *     supplier, a disconnect call-back) may wait for its reply before it fails with TIMEOUT
     */
    public static Properties serverProperties(String host, int port, long replyTimeoutMillis) {
        Properties p = common(host, replyTimeoutMillis);
        p.setProperty("OAPort", Integer.toString(port));
        p.setProperty("jacorb.implname", IMPL_NAME);
        // A GIOP header announcing a huge message would otherwise make JacORB allocate that much.
        p.setProperty("jacorb.net.server_socket_factory", GuardedServerSocketFactory.class.getName());
        p.setProperty(GuardedServerSocketFactory.MAX_MESSAGE_PROPERTY,
                Long.toString(GuardedServerSocketFactory.DEFAULT_MAX_MESSAGE));
        return p;
    }

    /**
     * Properties for a server ORB listening on {@code host:port}, over TLS only if {@code tls} is
     * given (then {@code port} is the TLS port and there is no plaintext listener).
     */
    public static Properties serverProperties(String host, int port, long replyTimeoutMillis, TlsConfig tls) {
        Properties p = serverProperties(host, port, replyTimeoutMillis);
        if (tls != null) {
            tls.applyServer(p, port);
        }
        return p;
    }

    /** Properties for a client ORB; its own objects (call-backs) listen on an ephemeral port. */
    public static Properties clientProperties(String host, long replyTimeoutMillis) {
        return clientProperties(host, replyTimeoutMillis, null);
    }

    /** Properties for a client ORB, a TLS client if {@code tls} is given (else plain IIOP). */
    public static Properties clientProperties(String host, long replyTimeoutMillis, TlsConfig tls) {
        Properties p = common(host, replyTimeoutMillis);
        if (tls != null) {
            tls.applyClient(p);
        }
        if (AdminCredentialSender.forThisProcess() != null) { // administrative calls present it
            AdminCredentialSender.install(p);
        }
        return p;
    }

    private static Properties common(String host, long replyTimeoutMillis) {
        Properties p = new Properties();
        p.setProperty("org.omg.CORBA.ORBClass", "org.jacorb.orb.ORB");
        p.setProperty("org.omg.CORBA.ORBSingletonClass", "org.jacorb.orb.ORBSingleton");
        p.setProperty("OAIAddr", host);
        // The default queue (100, no wait) drops oneways and throws TRANSIENT under load.
        p.setProperty("jacorb.poa.queue_wait", "on");
        p.setProperty("jacorb.poa.queue_max", "10000");
        p.setProperty("jacorb.poa.queue_min", "5000");
        // Blocking pulls each hold a request thread.
        p.setProperty("jacorb.poa.thread_pool_min", "8");
        p.setProperty("jacorb.poa.thread_pool_max", "512");
        // Twoways otherwise wait forever on a SIGSTOPped peer.
        p.setProperty("jacorb.connection.client.pending_reply_timeout", Long.toString(replyTimeoutMillis));
        p.setProperty("jacorb.connection.client.connect_timeout", "3000");
        // Default 5 retries x 500 ms would hide a dead peer for 2.5 s.
        p.setProperty("jacorb.retries", "0");
        p.setProperty("jacorb.retry_interval", "100");
        // Several ORBs in one JVM (tests, benches) otherwise crawl.
        p.setProperty("jacorb.iiop.enable_loopback", "off");
        return p;
    }

    /** Initialises an ORB from the given properties (they take precedence over -D and files). */
    public static ORB init(Properties props) {
        ORB orb = ORB.init(new String[0], props);
        if (props.containsKey(TlsConfig.BIDIR_INITIALIZER) && orb instanceof org.jacorb.orb.ORB jacorb) {
            // over TLS, call-backs ride on the caller's own connection: a TLS client needs no listener
            try {
                jacorb.resolve_initial_references("RootPOA"); // bidirectional GIOP needs the object adapter
            } catch (org.omg.CORBA.ORBPackage.InvalidName e) {
                throw new IllegalStateException("JacORB has no RootPOA: " + e, e);
            }
            jacorb.turnOnBiDirGIOP();
        }
        return orb;
    }

    /** The corbaloc URL prefix for a server, e.g. {@code corbaloc:iiop:127.0.0.1:2809}. */
    public static String corbaloc(String host, int port) {
        return "corbaloc:iiop:" + host + ":" + port;
    }

    /**
     * The corbaloc URL prefix for a server: {@code corbaloc:ssliop:1.2@HOST:PORT} over TLS, else
     * {@code corbaloc:iiop:HOST:PORT}.
     */
    public static String corbaloc(String host, int port, boolean tls) {
        return tls ? "corbaloc:ssliop:1.2@" + host + ":" + port : corbaloc(host, port);
    }

    /**
     * The corbaloc prefix ({@code corbaloc:iiop:HOST:PORT}) of the server a user named in any form
     * {@link ServerAddress} reads.
     *
     * @throws IllegalArgumentException it is not a server address (the message says why)
     */
    public static String serverBase(String server) {
        return ServerAddress.parse(server).corbaloc();
    }
}
