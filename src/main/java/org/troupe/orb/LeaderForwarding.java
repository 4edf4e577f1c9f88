package org.troupe.orb;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.omg.PortableInterceptor.ForwardRequest;
import org.omg.PortableInterceptor.ORBInitInfo;
import org.omg.PortableInterceptor.ServerRequestInfo;

/**
 * Sends calls on objects this server does not host to the server that does (LOCATION_FORWARD),
 * so that plain CORBA clients follow a cluster's leaders without code of their own. A server
 * request interceptor, because JacORB 3.9 mishandles a ForwardRequest raised by a servant locator
 * (its request thread dies and the client never gets a reply). Installed only on a cluster's
 * servers ({@link #install}); the server tells it where objects are with {@link #route}.
 */
public final class LeaderForwarding extends PassiveServerInterceptor {
    private static final long serialVersionUID = 1L;
    private static final Map<org.omg.CORBA.ORB, LeaderForwarding> BY_ORB = new ConcurrentHashMap<>();

    /**
     * Where calls go: given the object's POA name and object id, a reference to forward the call
     * to, or null to serve it here.
     */
    private transient volatile BiFunction<String, String, org.omg.CORBA.Object> route;

    /** Adds the interceptor to ORBs made with these properties. */
    public static void install(java.util.Properties orbProperties) {
        orbProperties.setProperty("org.omg.PortableInterceptor.ORBInitializerClass." + Initializer.class.getName(), "");
    }

    /** The interceptor of an ORB made with {@link #install}ed properties (null if none). */
    public static LeaderForwarding of(org.omg.CORBA.ORB orb) {
        return BY_ORB.get(orb);
    }

    /** Forgets an ORB that is shut down. */
    public static void release(org.omg.CORBA.ORB orb) {
        BY_ORB.remove(orb);
    }

    /** Sets where calls go (see {@link #route}). */
    public void route(BiFunction<String, String, org.omg.CORBA.Object> where) {
        this.route = where;
    }

    @Override
    public void receive_request(ServerRequestInfo ri) throws ForwardRequest {
        BiFunction<String, String, org.omg.CORBA.Object> where = route;
        if (where == null) {
            return;
        }
        String[] adapter = ri.adapter_name();
        String poa = adapter.length == 0 ? "" : adapter[adapter.length - 1];
        org.omg.CORBA.Object target = where.apply(poa,
                new String(ri.object_id(), java.nio.charset.StandardCharsets.UTF_8));
        if (target != null) {
            throw new ForwardRequest(target);
        }
    }

    @Override
    public String name() {
        return "TroupeLeaderForwarding";
    }

    /** Registers one interceptor per ORB. */
    public static final class Initializer extends PostInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public void post_init(ORBInitInfo info) {
            LeaderForwarding f = new LeaderForwarding();
            try {
                info.add_server_request_interceptor(f);
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new org.omg.CORBA.INITIALIZE("Troupe: forwarding interceptor registered twice");
            }
            BY_ORB.put(((org.jacorb.orb.portableInterceptor.ORBInitInfoImpl) info).getORB(), f);
        }
    }
}
