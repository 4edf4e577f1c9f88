package org.troupe.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * Java members against a {@code troupe server --tls} in its own process: they join, send and
 * receive over TLS; a plaintext client, a client that does not trust the server's certificate,
 * and (on a server that requires client certificates) a client without one are each refused
 * with one sentence saying why, and the server goes on serving the others.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsMemberTest {
    @TempDir
    static Path dir;
    static org.troupe.bench.ThrowAwayPki pki;
    static JavaProcess server;
    static int port;
    static JavaProcess mutualServer;
    static int mutualPort;

    @BeforeAll
    static void start() throws Exception {
        pki = org.troupe.bench.ThrowAwayPki.create(dir);
        port = JavaProcess.freePort();
        server = TroupeProcesses.startServer("tls-server", port, serverArgs(false));
        mutualPort = JavaProcess.freePort();
        while (mutualPort == port) {
            mutualPort = JavaProcess.freePort();
        }
        mutualServer = TroupeProcesses.startServer("mtls-server", mutualPort, serverArgs(true));
    }

    static List<String> serverArgs(boolean clientAuth) {
        List<String> a = new ArrayList<>(List.of("--tls", "--keystore", pki.serverKeystore.toString(),
                "--keystore-password-file", pki.passwordFile.toString(), "--truststore", pki.truststore.toString(),
                "--truststore-password-file", pki.passwordFile.toString()));
        if (clientAuth) {
            a.add("--tls-client-auth");
        }
        return a;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (mutualServer != null) {
            mutualServer.close();
        }
    }

    private static String where(int p) {
        return "127.0.0.1:" + p;
    }

    private static Received nextMessage(Group g) throws Exception {
        while (true) {
            Delivery d = g.receive(Duration.ofSeconds(10));
            assertNotNull(d, g + ": nothing within 10 s");
            if (d instanceof Received r) {
                return r;
            }
        }
    }

    private static void joinSendReceive(int serverPort, org.troupe.orb.TlsConfig a, org.troupe.orb.TlsConfig b,
            String group) throws Exception {
        try (Troupe ta = Troupe.connect(where(serverPort), a); Troupe tb = Troupe.connect(where(serverPort), b)) {
            ta.createGroup(group, GroupSpec.parse("tele-teaching", "Teacher:1:1,Student:1:n", "Question,Answer"));
            Group teacher = ta.join(group, "Teacher", "Tess");
            Group ann = tb.join(group, "Student", "Ann");
            teacher.send("Question", "6 x 7?".getBytes(StandardCharsets.UTF_8));
            Received q = nextMessage(ann);
            assertEquals("6 x 7?", q.text());
            ann.send("Answer", "42".getBytes(StandardCharsets.UTF_8));
            Received seenByAnn = nextMessage(ann);
            Received seenByTess = nextMessage(teacher);
            assertEquals("6 x 7?", seenByTess.text());
            assertEquals("42", nextMessage(teacher).text());
            assertEquals("42", seenByAnn.text());
            ta.destroyGroup(group);
        }
    }

    @Test
    void membersJoinSendAndReceiveOverTls() throws Exception {
        joinSendReceive(port, pki.client(), pki.client(), "tls-101");
    }

    @Test
    void membersWithClientCertificatesJoinSendAndReceiveWhereTheServerRequiresThem() throws Exception {
        joinSendReceive(mutualPort, pki.clientWithCertificate(), pki.clientWithCertificate(), "mtls-101");
    }

    @Test
    void aPlaintextClientIsRefusedWithOneSentenceAndTheServerGoesOn() throws Exception {
        try (Troupe plain = Troupe.connect(where(port), null)) {
            TroupeException e = assertThrows(TroupeException.class, () -> plain.groups());
            assertTrue(e.getMessage().startsWith("the server at " + where(port) + " requires TLS, and this client "
                    + "connected without it: use --tls --truststore FILE"), e.getMessage());
        }
        try (Troupe ok = Troupe.connect(where(port), pki.client())) {
            ok.groups(); // still serving
        }
    }

    @Test
    void aServerCertificateFromAnUntrustedAuthorityIsRefused() throws Exception {
        try (Troupe t = Troupe.connect(where(port), pki.clientTrustingTheWrongAuthority())) {
            TroupeException e = assertThrows(TroupeException.class, () -> t.groups());
            assertTrue(e.getMessage().startsWith("the certificate of the server at " + where(port)
                    + ", 'CN=troupe-server' issued by 'CN=Troupe Test CA' is not trusted by the trust store "
                    + pki.wrongTruststore), e.getMessage());
        }
    }

    @Test
    void aClientWithoutCertificateIsRefusedWhereTheServerRequiresOne() throws Exception {
        try (Troupe t = Troupe.connect(where(mutualPort), pki.client())) {
            TroupeException e = assertThrows(TroupeException.class, () -> t.groups());
            assertEquals("the server at " + where(mutualPort) + " requires a client certificate, and this client "
                    + "has none: give --keystore FILE (a key signed by an authority the server trusts)",
                    e.getMessage());
        }
        try (Troupe ok = Troupe.connect(where(mutualPort), pki.clientWithCertificate())) {
            ok.groups();
        }
    }

    @Test
    void hugeGiopHeadersInsideTlsAreRefusedBeforeAllocationAndTheServerGoesOn() throws Exception {
        byte[] gigabyteRequest = {'G', 'I', 'O', 'P', 1, 2, 0, 0, 0x40, 0, 0, 0};
        javax.net.ssl.SSLSocketFactory tls = pki.client().sslContext().getSocketFactory();
        List<java.net.Socket> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // 3 GiB announced to a server with a 256 MiB heap
                javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.createSocket("127.0.0.1", port);
                s.getOutputStream().write(gigabyteRequest);
                s.getOutputStream().flush();
                attackers.add(s);
            }
            for (java.net.Socket s : attackers) { // each is closed by the server after its header
                s.setSoTimeout(10_000);
                try {
                    assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
                } catch (java.net.SocketException | javax.net.ssl.SSLException closed) {
                    // closed without a close_notify: closed all the same
                }
            }
        } finally {
            for (java.net.Socket s : attackers) {
                s.close();
            }
        }
        try (Troupe t = Troupe.connect(where(port), pki.client())) {
            t.groups();
        }
        assertTrue(server.isAlive(), server.describe());
        String err = server.stderr();
        assertTrue(!err.contains("OutOfMemoryError"), err);
        assertEquals(3, err.lines().filter(l -> l.contains("announced a GIOP message of 1073741824 octets, over "
                + "the limit of 67108864")).count(), err);
    }

    @Test
    void theCliTalksTlsWithItsOptionsAndSaysWhyWithoutThem() throws Exception {
        String trust = pki.truststore.toString();
        String pw = pki.passwordFile.toString();
        TroupeProcesses.Result ok = TroupeProcesses.run("groups", "--server", where(port), "--tls", "--truststore",
                trust, "--truststore-password-file", pw);
        assertEquals(0, ok.exitCode(), ok.describe());
        TroupeProcesses.Result channels = TroupeProcesses.run("channel", "list", "--server", where(port), "--tls",
                "--truststore", trust, "--truststore-password-file", pw);
        assertEquals(0, channels.exitCode(), channels.describe());
        TroupeProcesses.Result plain = TroupeProcesses.run("channel", "list", "--server", where(port));
        assertEquals(1, plain.exitCode(), plain.describe());
        assertTrue(plain.stderr().contains("troupe: the server at " + where(port) + " requires TLS, and this client "
                + "connected without it"), plain.describe());
        TroupeProcesses.Result noTrust = TroupeProcesses.run("groups", "--server", where(port), "--tls");
        assertEquals(1, noTrust.exitCode(), noTrust.describe());
        assertTrue(noTrust.stderr().contains("--tls needs --truststore FILE"), noTrust.describe());
    }

    @Test
    void aTlsClientAgainstAPlaintextServerIsToldSo() throws Exception {
        int plainPort = JavaProcess.freePort();
        try (JavaProcess plainServer = TroupeProcesses.startServer("plain-server", plainPort, List.of());
                Troupe t = Troupe.connect(where(plainPort), pki.client())) {
            TroupeException e = assertThrows(TroupeException.class, () -> t.groups());
            assertTrue(e.getMessage().startsWith("the server at " + where(plainPort) + " does not speak TLS"),
                    e.getMessage());
        }
    }
}
