package org.troupe.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omg.CORBA.ORB;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.PortableServer.IdAssignmentPolicyValue;
import org.omg.PortableServer.LifespanPolicyValue;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.orb.EveryServerProfiles;
import org.troupe.orb.OrbFactory;
import org.troupe.orb.ServerAddress;

/**
 * What a TLS client of JacORB 3.9 does with an object reference that names two servers, when the
 * first one is gone. Two TLS-only server ORBs on 127.0.0.1 with different ports serve the same
 * object key (a persistent POA, as a cluster's servers do for a group's manager); a TLS client
 * holds a reference made by the first, which is then shut down.
 *
 * <ul>
 *   <li>With {@code jacorb.iiop.alternate_addresses} naming the second server (what a cluster
 *       does over plain IIOP), the client never reaches it: JacORB connects to an alternate
 *       address on the TLS port of the profile's {@code TAG_SSL_SEC_TRANS} component, which is the
 *       dead server's port.
 *   <li>With one profile per server ({@link EveryServerProfiles}), the client moves to the second
 *       server by itself.
 * </ul>
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EveryServerProfilesTest {
    @TempDir
    static Path dir;
    static org.troupe.bench.ThrowAwayPki pki;

    private final List<ORB> orbs = new ArrayList<>();

    @BeforeAll
    static void makePki() throws Exception {
        pki = org.troupe.bench.ThrowAwayPki.create(dir);
    }

    @AfterEach
    void stop() {
        for (ORB orb : orbs) {
            try {
                orb.shutdown(false);
            } catch (RuntimeException e) {
                // already shut down
            }
        }
    }

    /** A servant counting the calls it got. */
    static final class Counting extends org.omg.CosEventComm.PushConsumerPOA {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void push(org.omg.CORBA.Any data) {
            calls.incrementAndGet();
        }

        @Override
        public void disconnect_push_consumer() {
            calls.incrementAndGet();
        }
    }

    /** A TLS-only server ORB on {@code port} serving {@code servant} under the key a cluster's servers share. */
    private PushConsumer serve(int port, Counting servant, String alternates) throws Exception {
        Properties p = OrbFactory.serverProperties("127.0.0.1", port, 5_000, pki.server(false));
        if (alternates != null) {
            p.setProperty("jacorb.iiop.alternate_addresses", alternates);
        }
        ORB orb = OrbFactory.init(p);
        orbs.add(orb);
        POA root = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
        POA poa = root.create_POA("groups", root.the_POAManager(), new org.omg.CORBA.Policy[] {
            root.create_lifespan_policy(LifespanPolicyValue.PERSISTENT),
            root.create_id_assignment_policy(IdAssignmentPolicyValue.USER_ID),
        });
        byte[] oid = "math-101".getBytes(StandardCharsets.UTF_8);
        poa.activate_object_with_id(oid, servant);
        root.the_POAManager().activate();
        return PushConsumerHelper.narrow(poa.id_to_reference(oid));
    }

    private ORB client() {
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 5_000, pki.client()));
        orbs.add(orb);
        return orb;
    }

    private static int[] twoPorts() throws Exception {
        int a = org.troupe.server.JavaProcess.freePort();
        int b = org.troupe.server.JavaProcess.freePort();
        while (b == a) {
            b = org.troupe.server.JavaProcess.freePort();
        }
        return new int[] {a, b};
    }

    @Test
    void anAlternateAddressOfATlsProfileIsTriedOnTheDeadServersTlsPort() throws Exception {
        int[] ports = twoPorts();
        Counting first = new Counting();
        Counting second = new Counting();
        PushConsumer ref = serve(ports[0], first, "127.0.0.1:" + ports[1]);
        serve(ports[1], second, null);
        ORB firstOrb = orbs.get(0);
        String ior = firstOrb.object_to_string(ref);
        assertEquals(List.of(new ServerAddress.Endpoint("127.0.0.1", ports[0])),
                EveryServerProfiles.tlsEndpoints(ior), "one profile, with the first server's TLS port");

        PushConsumer c = PushConsumerHelper.unchecked_narrow(client().string_to_object(ior));
        c.disconnect_push_consumer();
        assertEquals(1, first.calls.get());
        firstOrb.shutdown(true);
        for (int i = 0; i < 3; i++) {
            assertThrows(org.omg.CORBA.SystemException.class, c::disconnect_push_consumer,
                    "the alternate address is tried on the dead server's TLS port");
        }
        assertEquals(0, second.calls.get(), "the second server was never reached");
    }

    @Test
    void oneProfilePerServerTakesATlsClientToTheNextServer() throws Exception {
        int[] ports = twoPorts();
        Counting first = new Counting();
        Counting second = new Counting();
        PushConsumer ref = serve(ports[0], first, null);
        serve(ports[1], second, null);
        ORB firstOrb = orbs.get(0);
        org.omg.CORBA.Object both = new EveryServerProfiles(firstOrb,
                List.of(new ServerAddress.Endpoint("127.0.0.1", ports[1]))).apply(ref);
        String ior = firstOrb.object_to_string(both);
        assertEquals(List.of(new ServerAddress.Endpoint("127.0.0.1", ports[0]),
                new ServerAddress.Endpoint("127.0.0.1", ports[1])), EveryServerProfiles.tlsEndpoints(ior));

        PushConsumer c = PushConsumerHelper.unchecked_narrow(client().string_to_object(ior));
        c.disconnect_push_consumer();
        assertEquals(1, first.calls.get());
        assertEquals(0, second.calls.get());
        firstOrb.shutdown(true);
        int failed = 0;
        while (second.calls.get() == 0) {
            try {
                c.disconnect_push_consumer();
            } catch (org.omg.CORBA.SystemException e) {
                failed++;
                assertTrue(failed < 3, "still not moved to the second server after " + failed + " calls: " + e);
            }
        }
        System.err.println("one profile per server: calls failed before the client moved: " + failed);
        assertEquals(1, second.calls.get());
        c.disconnect_push_consumer();
        assertEquals(2, second.calls.get(), "it stays on the second server");
    }
}
