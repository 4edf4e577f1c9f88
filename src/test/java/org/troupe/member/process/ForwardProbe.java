package org.troupe.member.process;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.omg.CORBA.LocalObject;
import org.omg.CORBA.ORB;
import org.omg.PortableInterceptor.ClientRequestInfo;
import org.omg.PortableInterceptor.ClientRequestInterceptor;
import org.omg.PortableInterceptor.LOCATION_FORWARD;
import org.omg.PortableInterceptor.ORBInitInfo;
import org.omg.PortableInterceptor.ORBInitializer;
import org.troupe.idl.Groups.GroupManagerHelper;
import org.troupe.orb.OrbFactory;

/**
 * Test helper: whether a server hosts a group, seen as a plain CORBA client sees it: a call on the
 * group's manager at that server is either served there or answered with LOCATION_FORWARD (to
 * the server that hosts it). A client request interceptor counts the forwards.
 */
final class ForwardProbe {
    private static final Map<ORB, Counter> COUNTERS = new ConcurrentHashMap<>();

    private ForwardProbe() {
    }

    /**
     * True if {@code GroupManager::descriptor} on {@code group}'s manager at {@code address}
     * ({@code HOST:PORT}) was forwarded elsewhere; false if that server answered it itself.
     */
    static boolean forwards(String address, String group) {
        java.util.Properties p = OrbFactory.clientProperties("127.0.0.1", 10_000);
        p.setProperty("org.omg.PortableInterceptor.ORBInitializerClass." + Initializer.class.getName(), "");
        ORB orb = OrbFactory.init(p);
        try {
            GroupManagerHelper.unchecked_narrow(orb.string_to_object("corbaloc:iiop:" + address + "/"
                    + OrbFactory.IMPL_NAME + "/groups/" + group)).descriptor();
            return COUNTERS.get(orb).forwards.get() > 0;
        } finally {
            COUNTERS.remove(orb);
            orb.shutdown(false);
        }
    }

    /** Counts replies that forward the call. */
    static final class Counter extends LocalObject implements ClientRequestInterceptor {
        private static final long serialVersionUID = 1L;
        final transient AtomicInteger forwards = new AtomicInteger();

        @Override
        public void receive_other(ClientRequestInfo ri) {
            if (ri.reply_status() == LOCATION_FORWARD.value) {
                forwards.incrementAndGet();
            }
        }

        @Override
        public void send_request(ClientRequestInfo ri) {
        }

        @Override
        public void send_poll(ClientRequestInfo ri) {
        }

        @Override
        public void receive_reply(ClientRequestInfo ri) {
        }

        @Override
        public void receive_exception(ClientRequestInfo ri) {
        }

        @Override
        public String name() {
            return "TroupeTestForwardCounter";
        }

        @Override
        public void destroy() {
        }
    }

    /** Registers a counter in each ORB made with the probe's properties. */
    public static final class Initializer extends LocalObject implements ORBInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public void pre_init(ORBInitInfo info) {
        }

        @Override
        public void post_init(ORBInitInfo info) {
            Counter c = new Counter();
            try {
                info.add_client_request_interceptor(c);
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new org.omg.CORBA.INITIALIZE("forward counter registered twice");
            }
            COUNTERS.put(((org.jacorb.orb.portableInterceptor.ORBInitInfoImpl) info).getORB(), c);
        }
    }
}
