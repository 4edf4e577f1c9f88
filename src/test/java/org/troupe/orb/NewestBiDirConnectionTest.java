package org.troupe.orb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jacorb.orb.giop.GIOPConnection;
import org.jacorb.orb.portableInterceptor.ServerRequestInfoImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omg.CORBA.Any;
import org.omg.CORBA.LocalObject;
import org.omg.CORBA.ORB;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.CosEventComm.PushConsumerPOA;
import org.omg.PortableInterceptor.ORBInitInfo;
import org.omg.PortableInterceptor.ORBInitializer;
import org.omg.PortableInterceptor.ServerRequestInfo;
import org.omg.PortableInterceptor.ServerRequestInterceptor;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.bench.ThrowAwayPki;
import org.troupe.server.JavaProcess;

/**
 * A server ORB and a client ORB over TLS with bidirectional GIOP, in one JVM: the client (without
 * a certificate, so the server cannot open a connection to it) holds two connections to the
 * server, one per profile (a {@code corbaloc} URL and the object's reference), each naming the
 * client's listen point. Whichever of them closes, the server's call-backs to the client ride on
 * the one left open. (JacORB 3.9 alone registers only the first and forgets the listen point when
 * that one closes: the call-back then fails.)
 */
@Tag("integration")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NewestBiDirConnectionTest {
    private static final String KEY = "Registrar";
    private static final long WAIT_MS = 20_000;

    @TempDir
    Path dir;

    private ThrowAwayPki pki;

    private ORB serverOrb;
    private ORB clientOrb;
    private final AtomicReference<org.omg.CORBA.Object> registered = new AtomicReference<>();
    private final BlockingQueue<String> received = new ArrayBlockingQueue<>(100);
    private String serverIor;
    private static final int TOGETHER = 4;
    private final java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(TOGETHER);
    private int port;
    private PushConsumer consumer; // the client's object, as the client names it

    @BeforeEach
    void start() throws Exception {
        pki = ThrowAwayPki.create(dir);
        port = JavaProcess.freePort();
        Properties sp = OrbFactory.serverProperties("127.0.0.1", port, 5_000, pki.server(false));
        sp.setProperty("org.omg.PortableInterceptor.ORBInitializerClass." + ConnectionsSeen.class.getName(), "");
        serverOrb = OrbFactory.init(sp);
        POA serverPoa = POAHelper.narrow(serverOrb.resolve_initial_references("RootPOA"));
        serverPoa.the_POAManager().activate();
        // the server's object: it keeps the object reference each push carries
        org.omg.CORBA.Object registrar = serverPoa.servant_to_reference(new PushConsumerPOA() {
            @Override
            public void push(Any data) {
                if (data.type().kind() == org.omg.CORBA.TCKind.tk_objref) {
                    registered.set(data.extract_Object());
                } else if ("together".equals(data.extract_string())) {
                    together.countDown();
                    try { // no answer before every concurrent request arrived
                        together.await(WAIT_MS, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void disconnect_push_consumer() {
            }
        });
        serverIor = serverOrb.object_to_string(registrar);
        ((org.jacorb.orb.ORB) serverOrb).addObjectKey(KEY, serverIor);

        clientOrb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 5_000, pki.client()));
        POA clientPoa = POAHelper.narrow(clientOrb.resolve_initial_references("RootPOA"));
        clientPoa.the_POAManager().activate();
        consumer = PushConsumerHelper.narrow(clientPoa.servant_to_reference(new PushConsumerPOA() {
            @Override
            public void push(Any data) {
                received.offer(data.extract_string());
            }

            @Override
            public void disconnect_push_consumer() {
            }
        }));
        ConnectionsSeen.SEEN.clear();
        ConnectionsSeen.NAMED.set(0);
    }

    @AfterEach
    void stop() {
        if (clientOrb != null) {
            clientOrb.shutdown(false);
        }
        if (serverOrb != null) {
            serverOrb.shutdown(false);
        }
    }

    @Test
    void callBacksMoveToTheNewerConnectionWhenTheFirstCloses() throws Exception {
        PushConsumer first = twoConnections().get(0);
        first._release(); // the client closes its first connection: no other reference uses it
        awaitClosed(ConnectionsSeen.SEEN.get(0));
        assertCallBackArrives("after the first connection closed");
    }

    @Test
    void callBacksFallBackToTheOlderConnectionWhenTheNewestCloses() throws Exception {
        PushConsumer second = twoConnections().get(1);
        second._release();
        awaitClosed(ConnectionsSeen.SEEN.get(1));
        assertCallBackArrives("after the second connection closed");
    }

    @Test
    void anotherClientNamingTheListenPointDoesNotDrawTheCallBacks() throws Exception {
        PushConsumer viaUrl = PushConsumerHelper.unchecked_narrow(clientOrb.string_to_object(
                OrbFactory.corbaloc("127.0.0.1", port, true) + "/" + KEY));
        Any a = clientOrb.create_any();
        PushConsumerHelper.insert(a, consumer);
        viaUrl.push(a);
        assertCallBackArrives("before another client names the listen point");

        // another client, with a certificate of its own, names the first client's listen point
        org.jacorb.orb.iiop.IIOPProfile victim = (org.jacorb.orb.iiop.IIOPProfile) new org.jacorb.orb.ParsedIOR(
                (org.jacorb.orb.ORB) clientOrb, clientOrb.object_to_string(consumer)).getEffectiveProfile();
        ForgedListenPoint.PORT.set(victim.getSSLPort());
        Properties ip = OrbFactory.clientProperties("127.0.0.1", 5_000, pki.clientWithCertificate());
        ip.remove(TlsConfig.BIDIR_INITIALIZER);
        ip.setProperty("org.omg.PortableInterceptor.ORBInitializerClass." + ForgedListenPoint.class.getName(), "");
        ORB intruder = OrbFactory.init(ip);
        try {
            PushConsumer registrar = PushConsumerHelper.unchecked_narrow(intruder.string_to_object(serverIor));
            Any word = intruder.create_any();
            word.insert_string("hello");
            registrar.push(word);
            assertEquals(2, ConnectionsSeen.SEEN.size(), "the intruder's connection: " + ConnectionsSeen.SEEN);
            assertCallBackArrives("after another client named the listen point");
        } finally {
            intruder.shutdown(false);
        }
    }

    /**
     * JacORB closes a connection holding the connection's lock, then takes the connection
     * manager's. A registration that held the manager's lock while it looked at the connection
     * holding the listen point (its peer: address and certificate) waited for that connection's
     * lock: both waited forever, and the server answered nobody again (seen once in a cluster test).
     */
    @Test
    void registeringNeverWaitsForAConnectionWhileHoldingTheConnectionManager() throws Exception {
        twoConnections();
        GIOPConnection first = ConnectionsSeen.SEEN.get(0);
        GIOPConnection holder = ConnectionsSeen.SEEN.get(1); // the newest: it holds the listen point
        org.jacorb.orb.ORB server = (org.jacorb.orb.ORB) serverOrb;
        org.omg.ETF.Profile listenPoint = NewestBiDirConnection.listenPointOf(server, "127.0.0.1",
                ((org.jacorb.orb.iiop.IIOPProfile) new org.jacorb.orb.ParsedIOR((org.jacorb.orb.ORB) clientOrb,
                        clientOrb.object_to_string(consumer)).getEffectiveProfile()).getSSLPort());
        java.lang.reflect.Field lock = GIOPConnection.class.getDeclaredField("connect_sync");
        lock.setAccessible(true);
        Object holderLock = lock.get(holder);
        Thread registering = new Thread(() -> NewestBiDirConnection.register(server, listenPoint, first),
                "registering");
        boolean managerFree;
        synchronized (holderLock) { // as JacORB does while it closes the holder
            registering.start();
            // the registration must come to the holder: it compares the holder's peer with its own
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                java.lang.management.ThreadInfo info = threads.getThreadInfo(registering.getId());
                if (info != null && info.getLockInfo() != null
                        && info.getLockInfo().getIdentityHashCode() == System.identityHashCode(holderLock)) {
                    break;
                }
                assertTrue(registering.isAlive() && System.nanoTime() < deadline,
                        "the registration never waited for the holder's lock");
                Thread.sleep(5); // polling a thread's state, with a deadline
            }
            // the closing thread's next step: the manager's lock
            java.util.concurrent.CompletableFuture<Boolean> manager = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        synchronized (server.getClientConnectionManager()) {
                            return true;
                        }
                    });
            try {
                managerFree = manager.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                managerFree = false;
            }
        }
        registering.join(10_000);
        assertTrue(managerFree, "the registration held the connection manager while it waited for a connection");
        assertTrue(!registering.isAlive(), "the registration ended once the connection's lock was free");
        assertCallBackArrives("after the registration");
    }

    @Test
    void everyRequestBeforeTheServersFirstAnswerNamesTheListenPoint() throws Exception {
        PushConsumer registrar = PushConsumerHelper.unchecked_narrow(clientOrb.string_to_object(serverIor));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(TOGETHER);
        try {
            List<java.util.concurrent.Future<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < TOGETHER; i++) {
                calls.add(threads.submit(() -> {
                    Any a = clientOrb.create_any();
                    a.insert_string("together");
                    registrar.push(a);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : calls) {
                f.get(WAIT_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, ConnectionsSeen.SEEN.size(), "one connection: " + ConnectionsSeen.SEEN);
        assertEquals(TOGETHER, ConnectionsSeen.NAMED.get(), "requests that named the listen point, of " + TOGETHER
                + " sent on a new connection before any answer");
        Any a = clientOrb.create_any();
        PushConsumerHelper.insert(a, consumer);
        registrar.push(a);
        assertEquals(TOGETHER, ConnectionsSeen.NAMED.get(), "a request after the server's answer does not name it");
        assertCallBackArrives("after concurrent first requests");
    }

    /** Opens the two connections, each naming the listen point, and checks a call-back arrives. */
    private List<PushConsumer> twoConnections() throws Exception {
        PushConsumer viaUrl = PushConsumerHelper.unchecked_narrow(clientOrb.string_to_object(
                OrbFactory.corbaloc("127.0.0.1", port, true) + "/" + KEY));
        PushConsumer viaIor = PushConsumerHelper.unchecked_narrow(clientOrb.string_to_object(serverIor));
        Any a = clientOrb.create_any();
        PushConsumerHelper.insert(a, consumer);
        viaUrl.push(a);
        viaIor.push(a);
        List<GIOPConnection> seen = List.copyOf(ConnectionsSeen.SEEN);
        assertEquals(2, seen.size(), "one server connection per profile: " + seen);
        assertTrue(seen.get(0) != seen.get(1), "two distinct connections: " + seen);
        assertCallBackArrives("with both connections open");
        return List.of(viaUrl, viaIor);
    }

    private void assertCallBackArrives(String when) throws Exception {
        String word = "call-back " + when;
        Any a = serverOrb.create_any();
        a.insert_string(word);
        PushConsumer back = PushConsumerHelper.unchecked_narrow(registered.get());
        try {
            back.push(a);
        } finally {
            back._release(); // the next call-back looks its connection up again, as a new reference's would
        }
        assertEquals(word, received.poll(WAIT_MS, TimeUnit.MILLISECONDS), "the client received the call-back " + when);
    }

    private static void awaitClosed(GIOPConnection c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (c.getTransport().is_connected()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the server did not see its connection close: " + c);
            }
            Thread.sleep(10); // polling a condition, with a deadline
        }
    }

    /** A client's interceptor that names, on every request, the listen point 127.0.0.1:{@link #PORT}. */
    public static final class ForgedListenPoint extends LocalObject implements ORBInitializer {
        private static final long serialVersionUID = 1L;
        static final java.util.concurrent.atomic.AtomicInteger PORT = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void pre_init(ORBInitInfo info) {
        }

        @Override
        public void post_init(ORBInitInfo info) {
            ORB orb = ((org.jacorb.orb.portableInterceptor.ORBInitInfoImpl) info).getORB();
            org.jacorb.orb.CDROutputStream out = new org.jacorb.orb.CDROutputStream(orb);
            out.beginEncapsulatedArray();
            org.omg.IIOP.BiDirIIOPServiceContextHelper.write(out, new org.omg.IIOP.BiDirIIOPServiceContext(
                    new org.omg.IIOP.ListenPoint[] {new org.omg.IIOP.ListenPoint("127.0.0.1", (short) PORT.get())}));
            org.omg.IOP.ServiceContext forged = new org.omg.IOP.ServiceContext(org.omg.IOP.BI_DIR_IIOP.value,
                    out.getBufferCopy());
            try {
                info.add_client_request_interceptor(new ForgingInterceptor(forged));
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new IllegalStateException(e);
            }
        }

        private static final class ForgingInterceptor extends LocalObject
                implements org.omg.PortableInterceptor.ClientRequestInterceptor {
            private static final long serialVersionUID = 1L;
            private final transient org.omg.IOP.ServiceContext forged;

            ForgingInterceptor(org.omg.IOP.ServiceContext forged) {
                this.forged = forged;
            }

            @Override
            public String name() {
                return "forged-listen-point";
            }

            @Override
            public void destroy() {
            }

            @Override
            public void send_request(org.omg.PortableInterceptor.ClientRequestInfo ri) {
                ri.add_request_service_context(forged, true);
            }

            @Override
            public void send_poll(org.omg.PortableInterceptor.ClientRequestInfo ri) {
            }

            @Override
            public void receive_reply(org.omg.PortableInterceptor.ClientRequestInfo ri) {
            }

            @Override
            public void receive_exception(org.omg.PortableInterceptor.ClientRequestInfo ri) {
            }

            @Override
            public void receive_other(org.omg.PortableInterceptor.ClientRequestInfo ri) {
            }
        }
    }

    /** Records, on the server, each distinct connection a request came in on, in order. */
    public static final class ConnectionsSeen extends LocalObject implements ORBInitializer {
        private static final long serialVersionUID = 1L;
        static final List<GIOPConnection> SEEN = new CopyOnWriteArrayList<>();
        /** Requests that named a listen point (a BiDir service context). */
        static final java.util.concurrent.atomic.AtomicInteger NAMED = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void pre_init(ORBInitInfo info) {
        }

        @Override
        public void post_init(ORBInitInfo info) {
            try {
                info.add_server_request_interceptor(new Recorder());
            } catch (org.omg.PortableInterceptor.ORBInitInfoPackage.DuplicateName e) {
                throw new IllegalStateException(e);
            }
        }

        private static final class Recorder extends LocalObject implements ServerRequestInterceptor {
            private static final long serialVersionUID = 1L;

            @Override
            public String name() {
                return "connections-seen";
            }

            @Override
            public void destroy() {
            }

            @Override
            public void receive_request_service_contexts(ServerRequestInfo ri) {
                try {
                    ri.get_request_service_context(org.omg.IOP.BI_DIR_IIOP.value);
                    NAMED.incrementAndGet();
                } catch (org.omg.CORBA.BAD_PARAM e) {
                    // this request names none
                }
                GIOPConnection c = ((ServerRequestInfoImpl) ri).getConnection();
                synchronized (SEEN) {
                    if (!SEEN.contains(c)) {
                        SEEN.add(c);
                    }
                }
            }

            @Override
            public void receive_request(ServerRequestInfo ri) {
            }

            @Override
            public void send_reply(ServerRequestInfo ri) {
            }

            @Override
            public void send_exception(ServerRequestInfo ri) {
            }

            @Override
            public void send_other(ServerRequestInfo ri) {
            }
        }
    }
}
