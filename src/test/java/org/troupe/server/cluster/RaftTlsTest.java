package org.troupe.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.bench.ThrowAwayPki;

/**
 * Raft between the servers of a cluster over mutual TLS (Ratis over gRPC), three nodes in this
 * JVM: they replicate; each Raft port speaks only TLS (a plaintext HTTP/2 client, what gRPC
 * speaks without TLS, is cut off without an answer); and a server whose certificate another
 * authority signed never joins the Raft groups, while the two others go on.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RaftTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final byte[] HTTP2_PREFACE = org.troupe.tls.TlsProbes.HTTP2_PREFACE;

    @TempDir
    static Path pkiDir;
    static ThrowAwayPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() throws Exception {
        pki = ThrowAwayPki.create(pkiDir);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void serversReplicateOverMutualTlsAndTheirRaftPortsSpeakOnlyTls() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3, b -> b.shards(1).tls(pki.server(false)))) {
            assertEquals(ClusterConfig.Transport.GRPC, c.configs.get(0).transport(), "TLS takes Raft over gRPC");
            c.awaitLeaders(WAIT);
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int k = 0; k < 30; k++) {
                futures.add(c.nodes[k % 3].submit("alpha", bytes("m" + k)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                int node = i;
                LocalCluster.await(() -> c.states[node].get("alpha") != null && c.states[node].get("alpha").size() == 30,
                        WAIT, "s" + (i + 1) + " applied the 30 commands");
            }
            assertEquals(c.states[0].get("alpha").commands(), c.states[1].get("alpha").commands());
            assertEquals(c.states[0].get("alpha").commands(), c.states[2].get("alpha").commands());

            for (ClusterConfig config : c.configs) {
                int port = config.self().port();
                assertTrue(tlsPeer(port, pki.clientWithCertificate()).contains("CN=troupe-server"),
                        "the Raft port of " + config.serverId() + " answers a TLS handshake with its certificate");
                org.troupe.tls.TlsProbes.assertPlaintextCutOff(port);
            }
            // a TLS client without a certificate is refused by the Raft port (mutual TLS)
            assertThrows(IOException.class, () -> {
                SSLSocket s = tlsSocket(c.configs.get(0).self().port(), pki.client());
                s.getOutputStream().write(HTTP2_PREFACE);
                s.getOutputStream().flush();
                if (s.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }, "a client without a certificate gets nothing from the Raft port");
        }
    }

    @Test
    void aServerWhoseCertificateTheOthersDoNotTrustNeverJoinsTheRaftGroups() throws Exception {
        AtomicInteger made = new AtomicInteger();
        try (LocalCluster c = new LocalCluster(dir, 3,
                b -> b.shards(1).tls(made.getAndIncrement() == 2 ? pki.outsider() : pki.server(false)))) {
            c.nodes[0].awaitLeaders(WAIT);
            c.nodes[1].awaitLeaders(WAIT);
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                futures.add(c.nodes[k % 2].submit("alpha", bytes("m" + k)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            // five longest election time-outs: time enough to vote, be told the log, or win
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                    5 * c.configs.get(2).electionTimeoutMax().toMillis());
            while (System.nanoTime() < until) {
                for (RaftGroupStatus s : c.nodes[2].status()) {
                    assertNull(s.leader(), "the outsider s3 knows a leader of " + s.group() + ": " + s);
                }
                Thread.sleep(50);
            }
            assertNull(c.states[2].get("alpha"), "the outsider applied nothing");
            for (RaftGroupStatus s : c.nodes[0].status()) {
                assertTrue(s.leader() != null && !s.leader().equals("s3"), "s1 and s2 lead: " + s);
            }
        }
    }

    private static SSLSocket tlsSocket(int port, org.troupe.orb.TlsConfig tls) throws Exception {
        SSLSocket s = (SSLSocket) tls.sslContext().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(5_000);
        s.startHandshake();
        return s;
    }

    /** The subject of the certificate the TLS server at {@code port} shows. */
    private static String tlsPeer(int port, org.troupe.orb.TlsConfig tls) throws Exception {
        try (SSLSocket s = tlsSocket(port, tls)) {
            return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
        }
    }
}
