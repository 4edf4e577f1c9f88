package org.troupe.orb;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.jacorb.orb.CDROutputStream;
import org.jacorb.orb.etf.ProfileBase;
import org.jacorb.orb.giop.ClientConnection;
import org.jacorb.orb.iiop.IIOPConnection;
import org.jacorb.orb.iiop.IIOPProfile;
import org.jacorb.orb.portableInterceptor.ClientRequestInfoImpl;
import org.omg.IIOP.BiDirIIOPServiceContext;
import org.omg.IIOP.BiDirIIOPServiceContextHelper;
import org.omg.IIOP.ListenPoint;
import org.omg.IOP.BI_DIR_IIOP;
import org.omg.IOP.ServiceContext;
import org.omg.PortableInterceptor.ClientRequestInfo;
import org.omg.PortableInterceptor.ORBInitInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client using bidirectional GIOP names its listen point on every request over a connection
 * until the server has answered one that named it on that same socket; after that the server
 * knows the connection, and requests go without it.
 *
 * <p>JacORB 3.9 names the listen point only on the first request it prepares for a connection.
 * Requests from several threads on a new connection may reach the server in another order, and
 * the server serves each on its own thread: a request that arrives before the one that named the
 * listen point (a member resuming at a new leader while its heartbeat and sends go there too) is
 * served while the server does not yet know the connection, and a call-back it makes to the client
 * cannot reach it. And a connection that JacORB reopens (after the server closed it idle) never
 * names it again. Installed on clients with bidirectional GIOP ({@link TlsConfig}), next to
 * JacORB's own interceptor (the two add the same context; the later replaces the earlier).
 */
public final class ListenPointAnnouncer extends PassiveClientInterceptor {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ListenPointAnnouncer.class);
    /** The ORB property that installs the interceptor. */
    static final String INITIALIZER_PROPERTY =
            "org.omg.PortableInterceptor.ORBInitializerClass.troupe_listen_point_announcer";

    private final transient org.jacorb.orb.ORB orb;
    /** The socket on which the server answered a request that named the listen point, per connection. */
    private final transient Map<ClientConnection, Socket> known = new WeakHashMap<>();
    private transient volatile ServiceContext context;

    ListenPointAnnouncer(org.jacorb.orb.ORB orb) {
        this.orb = orb;
    }

    @Override
    public String name() {
        return "troupe-listen-point-announcer";
    }

    @Override
    public void send_request(ClientRequestInfo ri) {
        ClientConnection c = connection(ri);
        if (c == null) {
            return;
        }
        Socket now = socket(c);
        synchronized (known) {
            Socket answered = known.get(c);
            if (answered != null && answered == now) {
                return; // the server knows this connection
            }
        }
        ServiceContext ctx = context();
        if (ctx != null) {
            ri.add_request_service_context(ctx, true);
        }
    }

    @Override
    public void receive_reply(ClientRequestInfo ri) {
        answered(ri);
    }

    @Override
    public void receive_exception(ClientRequestInfo ri) {
        answered(ri);
    }

    /** The server answered a request: if it named the listen point, the server knows this socket. */
    private void answered(ClientRequestInfo ri) {
        ClientConnection c = connection(ri);
        if (c == null) {
            return;
        }
        try {
            ri.get_request_service_context(BI_DIR_IIOP.value);
        } catch (org.omg.CORBA.BAD_PARAM e) {
            return; // this request did not name it
        }
        Socket s = socket(c);
        if (s != null) {
            synchronized (known) {
                known.put(c, s);
            }
        }
    }

    /** The client-initiated connection of a remote request with bidirectional GIOP on, else null. */
    private ClientConnection connection(ClientRequestInfo ri) {
        if (!orb.useBiDirGIOP() || !(ri instanceof ClientRequestInfoImpl info) || info.isLocalInterceptor()) {
            return null;
        }
        ClientConnection c = info.getConnection();
        return c != null && c.isClientInitiated() ? c : null;
    }

    private static Socket socket(ClientConnection c) {
        return c.getGIOPConnection().getTransport() instanceof IIOPConnection t ? t.getSocket() : null;
    }

    /** The BiDir service context naming this ORB's listen points, as JacORB's own interceptor builds it. */
    private ServiceContext context() {
        ServiceContext ctx = context;
        if (ctx != null) {
            return ctx;
        }
        try {
            List<ListenPoint> points = new ArrayList<>();
            for (org.omg.ETF.Profile p : orb.getBasicAdapter().getEndpointProfiles()) {
                if (p instanceof IIOPProfile iiop && iiop.getSSL() != null) {
                    points.addAll(iiop.toNonSSL().asListenPoints());
                } else if (p instanceof ProfileBase base) {
                    points.addAll(base.asListenPoints());
                }
            }
            CDROutputStream out = new CDROutputStream(orb);
            try {
                out.beginEncapsulatedArray();
                BiDirIIOPServiceContextHelper.write(out, new BiDirIIOPServiceContext(points.toArray(new ListenPoint[0])));
                ctx = new ServiceContext(BI_DIR_IIOP.value, out.getBufferCopy());
            } finally {
                out.close();
            }
            context = ctx;
            return ctx;
        } catch (RuntimeException e) {
            // the request goes as JacORB alone would send it
            LOG.warn("cannot name this client's listen point on its requests: {}", e.toString());
            return null;
        }
    }

    /** Registers the interceptor (named in {@link #INITIALIZER_PROPERTY}). */
    public static final class Initializer extends PostInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public void post_init(ORBInitInfo info) {
            org.jacorb.orb.ORB orb = ((org.jacorb.orb.portableInterceptor.ORBInitInfoImpl) info).getORB();
            try {
                info.add_client_request_interceptor(new ListenPointAnnouncer(orb));
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new IllegalStateException("the listen point announcer is installed twice", e);
            }
        }
    }
}
