package org.troupe.orb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jacorb.orb.CDRInputStream;
import org.jacorb.orb.giop.ClientConnection;
import org.jacorb.orb.giop.ClientConnectionManager;
import org.jacorb.orb.giop.ConnectionListener;
import org.jacorb.orb.giop.GIOPConnection;
import org.jacorb.orb.iiop.IIOPAddress;
import org.jacorb.orb.iiop.IIOPProfile;
import org.jacorb.orb.portableInterceptor.ServerRequestInfoImpl;
import org.omg.ETF.Profile;
import org.omg.IIOP.BiDirIIOPServiceContext;
import org.omg.IIOP.BiDirIIOPServiceContextHelper;
import org.omg.IIOP.ListenPoint;
import org.omg.IOP.BI_DIR_IIOP;
import org.omg.IOP.ServiceContext;
import org.omg.PortableInterceptor.ORBInitInfo;
import org.omg.PortableInterceptor.ServerRequestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's call-backs over bidirectional GIOP ride on the newest open connection on which it
 * named its listen point, whatever became of its earlier ones.
 *
 * <p>A client that uses bidirectional GIOP (a Java member over TLS, or any ORB that offers it)
 * names its listen point in a service context on the first request of each connection it opens;
 * the server then reaches the client's objects at that listen point over that connection. JacORB
 * 3.9 keeps only the first connection that named a listen point ({@code
 * ClientConnectionManager.addConnection} ignores later ones), and when that connection closes it
 * forgets the listen point altogether, even though a newer connection of the same client named it
 * too. A client holds several connections to one server (one per distinct profile: a {@code
 * corbaloc} URL and an object reference's profile are two), and closes them independently, so a
 * call-back could go over a closed connection, or over a new outgoing connection to the client's
 * listen point, which a client without a certificate of its own cannot accept: the call failed
 * ("Connection or outbound has closed"). Here:
 *
 * <ul>
 *   <li>each connection that names a listen point becomes its registration at once, replacing an
 *       older one (which stays open for the client's own requests);
 *   <li>when the registered connection closes, the newest other open connection that named the
 *       same listen point takes its place;
 *   <li>an older connection that closes never unregisters a newer one;
 *   <li>a call-back to an object reference with a TLS profile goes over the client's own open
 *       connection that named the listen point at that TLS port, before any connection the server
 *       opened to that port itself (JacORB looks the reference's profile up before the listen point);
 *   <li>a connection takes over a listen point held by an open connection only if it comes from
 *       the same peer (address, and client certificate if any): another client cannot draw a
 *       client's call-backs to itself by naming its listen point (it could before only while the
 *       listen point was free, as with JacORB alone).
 * </ul>
 *
 * <p>A server request interceptor, installed on servers next to JacORB's own bidirectional GIOP
 * interceptor ({@link TlsConfig}); the order of the two does not matter. It keeps its record in
 * the map of the ORB's {@link ClientConnectionManager} (JacORB offers no hook for this), replaced
 * once by a {@link Registrations} map under the manager's own lock. If that map cannot be reached
 * (another JacORB), it logs so once and leaves JacORB's behaviour as it is.
 */
public final class NewestBiDirConnection extends PassiveServerInterceptor {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NewestBiDirConnection.class);
    /** The ORB property that installs the interceptor. */
    static final String INITIALIZER_PROPERTY =
            "org.omg.PortableInterceptor.ORBInitializerClass.troupe_newest_bidir_connection";
    /** How often a registration looks again at a listen point whose holder changed while it looked. */
    static final int MAX_LOOKS = 16;
    /** Connections kept per listen point as fall-backs, newest last; older ones are forgotten (not closed). */
    static final int MAX_PER_LISTEN_POINT = 16;

    private final transient org.jacorb.orb.ORB orb;

    NewestBiDirConnection(org.jacorb.orb.ORB orb) {
        this.orb = orb;
    }

    @Override
    public String name() {
        return "troupe-newest-bidir-connection";
    }

    @Override
    public void receive_request_service_contexts(ServerRequestInfo ri) {
        if (!orb.useBiDirGIOP()) {
            return;
        }
        ServiceContext context;
        try {
            context = ri.get_request_service_context(BI_DIR_IIOP.value);
        } catch (org.omg.CORBA.BAD_PARAM e) {
            return; // no listen point named on this request
        }
        try {
            GIOPConnection connection = ((ServerRequestInfoImpl) ri).getConnection();
            IIOPProfile listenPoint = listenPoint(context);
            if (listenPoint != null) {
                register(orb, listenPoint, connection);
            }
        } catch (RuntimeException e) {
            // the request itself is served; only its connection is not made the call-back path
            LOG.warn("cannot register a client's connection for its call-backs: {}", e.toString());
        }
    }

    /** The listen points of a BiDir service context as JacORB keys them: the first, others as alternates. */
    private IIOPProfile listenPoint(ServiceContext context) {
        BiDirIIOPServiceContext bidir;
        CDRInputStream in = new CDRInputStream(orb, context.context_data);
        try {
            in.openEncapsulatedArray();
            bidir = BiDirIIOPServiceContextHelper.read(in);
        } finally {
            in.close();
        }
        if (bidir.listen_points.length == 0) {
            return null;
        }
        IIOPProfile profile = null;
        List<IIOPAddress> alternates = new ArrayList<>();
        for (ListenPoint lp : bidir.listen_points) {
            if (profile == null) {
                profile = listenPointOf(orb, lp.host, lp.port);
            } else {
                alternates.add(address(orb, lp.host, lp.port));
            }
        }
        if (!alternates.isEmpty()) {
            profile.setAlternateAddresses(alternates);
        }
        return profile;
    }

    /** The profile JacORB keys a listen point HOST:PORT by (the GIOP version is no part of the key). */
    static IIOPProfile listenPointOf(org.jacorb.orb.ORB orb, String host, int port) {
        return new IIOPProfile(address(orb, host, port), null, orb.getGIOPMinorVersion());
    }

    private static IIOPAddress address(org.jacorb.orb.ORB orb, String host, int port) {
        IIOPAddress address = new IIOPAddress(host, port);
        try {
            address.configure(orb.getConfiguration());
        } catch (org.jacorb.config.ConfigurationException e) {
            throw new IllegalStateException("cannot configure the listen point " + host + ":" + port, e);
        }
        return address;
    }

    /**
     * Makes {@code connection} the registration of {@code listenPoint} (see the class comment).
     *
     * <p>Lock order: JacORB closes a connection holding that connection's lock and then takes the
     * manager's (its connection listener unregisters it). So nothing here may take a connection's
     * lock while it holds the manager's: who is at the other end of a connection (which needs the
     * connection's transport, under its lock) is found before the manager's lock is taken, and
     * found again if the connection to compare with changed meanwhile.
     */
    static void register(org.jacorb.orb.ORB orb, Profile listenPoint, GIOPConnection connection) {
        ClientConnectionManager manager = orb.getClientConnectionManager();
        Peer newcomer = Peer.of(connection);
        GIOPConnection compared = null;
        Peer holder = null;
        for (int attempt = 0; attempt < MAX_LOOKS; attempt++) {
            GIOPConnection other;
            synchronized (manager) {
                Registrations registrations = Registrations.of(manager);
                if (registrations == null) {
                    return;
                }
                other = registrations.otherHolder(listenPoint, connection);
                if (other == null || other == compared) {
                    registrations.register(orb, manager, listenPoint, connection, other == null
                            || newcomer != null && newcomer.address() != null && newcomer.equals(holder),
                            newcomer, holder);
                    return;
                }
            }
            compared = other;
            holder = Peer.of(other); // outside the manager's lock
        }
        // each round means another connection took the listen point meanwhile; this one stays a client's own
        LOG.warn("the listen point {} changed hands {} times while {} named it: that connection does not carry "
                + "call-backs", listenPoint, MAX_LOOKS, connection);
    }

    /**
     * The client connection manager's map from profiles to connections, which also remembers, per
     * listen point, the open connections that named it (newest last). Every access happens under
     * the manager's lock (JacORB's methods are synchronized on it; so are this class's callers).
     */
    static final class Registrations extends HashMap<Profile, ClientConnection> {
        private static final long serialVersionUID = 1L;
        private static final java.lang.reflect.Field FIELD = field();
        private static volatile boolean warned;

        private final transient Map<Profile, Deque<ClientConnection>> named = new HashMap<>();
        /** Connections that named a listen point another peer holds (under the manager's lock). */
        private long refused;

        private static java.lang.reflect.Field field() {
            try {
                java.lang.reflect.Field f = ClientConnectionManager.class.getDeclaredField("connections");
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.error("this JacORB's connection manager has no map of connections to extend ({}): a client's"
                        + " call-backs keep JacORB's first registration of its listen point", e.toString());
                return null;
            }
        }

        /** The manager's map, made a Registrations the first time; null if it cannot be (logged once). */
        @SuppressWarnings("unchecked")
        static Registrations of(ClientConnectionManager manager) {
            if (FIELD == null) {
                return null;
            }
            try {
                Object current = FIELD.get(manager);
                if (current instanceof Registrations r) {
                    return r;
                }
                Registrations r = new Registrations();
                r.putAll((Map<Profile, ClientConnection>) current);
                FIELD.set(manager, r);
                return r;
            } catch (ReflectiveOperationException | RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.error("cannot extend JacORB's map of connections ({}): a client's call-backs keep JacORB's"
                            + " first registration of its listen point", e.toString());
                }
                return null;
            }
        }

        /**
         * The open server-side connection other than {@code connection} that holds {@code
         * listenPoint} now, whose peer must match for {@code connection} to take it over; null if
         * there is none.
         */
        GIOPConnection otherHolder(Profile listenPoint, GIOPConnection connection) {
            ClientConnection registered = super.get(listenPoint);
            return registered != null && registered.getGIOPConnection() != connection && !registered.isClosed()
                    && !registered.isClientInitiated() ? registered.getGIOPConnection() : null;
        }

        /**
         * Makes {@code connection} the registration of {@code listenPoint}, if {@code samePeer}
         * (no other open connection holds it, or the one that does comes from the same peer).
         * Called under the manager's lock; takes no connection's lock.
         */
        void register(org.jacorb.orb.ORB orb, ClientConnectionManager manager, Profile listenPoint,
                GIOPConnection connection, boolean samePeer, Peer newcomer, Peer holder) {
            ClientConnection registered = super.get(listenPoint);
            if (!samePeer) {
                // another host, or another certificate, names a listen point in use: it does not take it over
                long n = ++refused;
                if (Long.bitCount(n) == 1) { // 1, 2, 4, 8 ...: visible without flooding the log
                    LOG.warn("a connection from {} names the listen point {} of an open connection from {}: ignored"
                            + " ({} so far)", newcomer, listenPoint, holder, n);
                }
                return;
            }
            ClientConnection mine = registered != null && registered.getGIOPConnection() == connection
                    ? registered // JacORB's interceptor ran first and registered it
                    : find(listenPoint, connection);
            if (mine == null) {
                mine = new ClientConnection(connection, orb, manager, listenPoint, false);
                mine.incClients(); // as JacORB's: kept until its connection closes, whoever uses it
            }
            connection.setConnectionListener(new Watch(this, manager, listenPoint, mine));
            Deque<ClientConnection> list = named.computeIfAbsent(listenPoint, k -> new ArrayDeque<>());
            list.remove(mine);
            list.addLast(mine);
            while (list.size() > MAX_PER_LISTEN_POINT) {
                list.removeFirst();
            }
            if (registered != mine) {
                super.put(listenPoint, mine);
                if (registered != null) {
                    LOG.debug("call-backs to {} move to the client's newest connection {}", listenPoint,
                            connection);
                }
            }
        }

        private ClientConnection find(Profile listenPoint, GIOPConnection connection) {
            Deque<ClientConnection> list = named.get(listenPoint);
            if (list != null) {
                for (ClientConnection c : list) {
                    if (c.getGIOPConnection() == connection) {
                        return c;
                    }
                }
            }
            return null;
        }

        /** A connection that named {@code listenPoint} closed: the newest other one takes its place. */
        void closed(Profile listenPoint, ClientConnection gone) {
            Deque<ClientConnection> list = named.get(listenPoint);
            if (list != null) {
                list.remove(gone);
                if (list.isEmpty()) {
                    named.remove(listenPoint);
                }
            }
            if (super.get(listenPoint) == gone) {
                super.remove(listenPoint);
                fallBack(listenPoint, gone);
            }
        }

        /** Registers the newest open connection that named the listen point, but {@code not} (may be null). */
        private ClientConnection fallBack(Object listenPoint, ClientConnection not) {
            Deque<ClientConnection> list = named.get(listenPoint);
            if (list == null) {
                return null;
            }
            for (Iterator<ClientConnection> i = list.descendingIterator(); i.hasNext();) {
                ClientConnection c = i.next();
                if (c.isClosed()) {
                    i.remove();
                } else if (c != not) {
                    super.put((Profile) listenPoint, c);
                    return c;
                }
            }
            if (list.isEmpty()) {
                named.remove(listenPoint);
            }
            return null;
        }

        /**
         * Never a closed connection where an open one named the listen point; and for an object
         * reference's TLS profile, the client's own connection that named the listen point at its
         * TLS port, before any connection this server opened to that port (JacORB looks the
         * reference's profile up first, and only then the listen point).
         */
        @Override
        public ClientConnection get(Object key) {
            ClientConnection c = super.get(key);
            if (named.isEmpty()) {
                return c;
            }
            if (c != null && c.isClosed() && named.containsKey(key)) {
                ClientConnection open = fallBack(key, c);
                if (open != null) {
                    return open;
                }
            }
            if ((c == null || c.isClientInitiated() || c.isClosed()) && key instanceof IIOPProfile p
                    && p.getSSL() != null) {
                IIOPProfile listenPoint;
                try {
                    listenPoint = p.toNonSSL();
                } catch (RuntimeException e) { // JacORB's own look-up goes on as before
                    LOG.debug("no listen point for the profile {}: {}", p, e.toString());
                    return c;
                }
                if (named.containsKey(listenPoint)) {
                    ClientConnection own = super.get(listenPoint);
                    if (own == null || own.isClosed()) {
                        own = fallBack(listenPoint, own);
                    }
                    if (own != null && !own.isClientInitiated()) {
                        return own;
                    }
                }
            }
            return c;
        }

        /**
         * JacORB removes by profile whichever connection it releases; an open connection that
         * named the listen point then stays (or becomes) its registration.
         */
        @Override
        public ClientConnection remove(Object key) {
            ClientConnection c = super.remove(key);
            if (named.containsKey(key)) {
                fallBack(key, null); // which connection JacORB released is unknown: closed ones are skipped
            }
            return c;
        }

        @Override
        public void clear() {
            super.clear();
            named.clear();
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /**
     * Who is at the other end of a server connection: the peer's address and, over TLS, the
     * subject of the certificate it showed (null if none). A newer connection takes a listen
     * point over only from the same peer, so that a client cannot draw another's call-backs to
     * itself by naming its listen point. {@link #of} takes the connection's lock: never call it
     * under the connection manager's.
     */
    record Peer(java.net.InetAddress address, java.security.Principal subject) {
        static Peer of(GIOPConnection c) {
            if (!(c.getTransport() instanceof org.jacorb.orb.iiop.IIOPConnection t) || t.getSocket() == null) {
                return null;
            }
            java.net.Socket s = t.getSocket();
            java.security.Principal subject = null;
            if (s instanceof javax.net.ssl.SSLSocket tls) {
                try {
                    subject = tls.getSession().getPeerPrincipal();
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    subject = null; // no client certificate
                }
            }
            return new Peer(s.getInetAddress(), subject);
        }

    }

    /**
     * The connection listener of a connection that named a listen point: what JacORB's own does
     * (fail the replies it waited for), but the registration is handed to the next connection.
     */
    private static final class Watch implements ConnectionListener {
        private final Registrations registrations;
        private final ClientConnectionManager manager;
        private final Profile listenPoint;
        private final ClientConnection connection;

        Watch(Registrations registrations, ClientConnectionManager manager, Profile listenPoint,
                ClientConnection connection) {
            this.registrations = registrations;
            this.manager = manager;
            this.listenPoint = listenPoint;
            this.connection = connection;
        }

        @Override
        public void connectionClosed(Throwable cause) {
            synchronized (manager) {
                registrations.closed(listenPoint, connection);
            }
            connection.streamClosed(cause);
        }

        @Override
        public void streamClosed(Throwable cause) {
            connection.streamClosed(cause);
        }
    }

    /** Registers the interceptor (named in {@link #INITIALIZER_PROPERTY}). */
    public static final class Initializer extends PostInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public void post_init(ORBInitInfo info) {
            org.jacorb.orb.ORB orb = ((org.jacorb.orb.portableInterceptor.ORBInitInfoImpl) info).getORB();
            try {
                info.add_server_request_interceptor(new NewestBiDirConnection(orb));
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new IllegalStateException("the bidirectional GIOP registration is installed twice", e);
            }
        }
    }
}
