package org.troupe.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.CosEventComm.PushConsumerPOA;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.bench.ThrowAwayPki;
import org.troupe.orb.ClientCertificates;
import org.troupe.orb.OrbFactory;
import org.troupe.orb.TlsConfig;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * The hook an authorisation check asks on a TLS server: a servant learns, on the request's
 * thread, the subject of the verified client certificate of the caller, and nothing for a
 * caller without one.
 */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientCertificatesTest {
    @TempDir
    Path dir;

    /** Records, per push, what {@link ClientCertificates#subject} says during the call. */
    private static final class Recorder extends PushConsumerPOA {
        final BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        private final ORB orb;

        Recorder(ORB orb) {
            this.orb = orb;
        }

        @Override
        public void push(Any data) {
            javax.security.auth.x500.X500Principal p = ClientCertificates.subject(orb);
            seen.add(p == null ? "none" : p.getName());
        }

        @Override
        public void disconnect_push_consumer() {
            // not used
        }
    }

    private String pushFrom(TroupeServer server, Recorder r, PushConsumer target, TlsConfig client) throws Exception {
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 10_000, client));
        try {
            PushConsumer c = PushConsumerHelper.narrow(orb.string_to_object(server.orb().object_to_string(target)));
            c.push(orb.create_any());
            return r.seen.poll(10, TimeUnit.SECONDS);
        } finally {
            orb.shutdown(false);
        }
    }

    private PushConsumer activate(TroupeServer server, Recorder r) throws Exception {
        POA root = POAHelper.narrow(server.orb().resolve_initial_references("RootPOA"));
        return PushConsumerHelper.narrow(root.id_to_reference(root.activate_object(r)));
    }

    @Test
    void aServantSeesTheSubjectOfAVerifiedClientCertificateAndNothingWithoutOne() throws Exception {
        ThrowAwayPki pki = ThrowAwayPki.create(dir);
        int port = JavaProcess.freePort();
        try (TroupeServer server = TroupeServer.start(ServerSettings.defaults(port), pki.server(false))) {
            Recorder r = new Recorder(server.orb());
            PushConsumer target = activate(server, r);
            assertEquals("CN=troupe-client", pushFrom(server, r, target, pki.clientWithCertificate()));
            assertEquals("none", pushFrom(server, r, target, pki.client()));
        }
        assertNull(ClientCertificates.subject(ORB.init()), "outside a request: nothing");
    }
}
