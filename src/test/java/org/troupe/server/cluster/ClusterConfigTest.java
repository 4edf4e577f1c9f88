package org.troupe.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ClusterConfigTest {
    private static final Path DATA = Path.of("/tmp/troupe-test-data");

    private static ClusterConfig.Builder valid() {
        return ClusterConfig.builder().serverId("s2").peers("s1=10.0.0.1:9001, s2=h2.example:9002,s3=[::1]:9003")
                .dataDir(DATA);
    }

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void parsesPeersHostsAndIpv6() {
        ClusterConfig c = valid().build();
        assertEquals(List.of("s1", "s2", "s3"), c.peers().stream().map(ClusterConfig.Peer::id).toList());
        assertEquals("h2.example", c.self().host());
        assertEquals(9002, c.self().port());
        assertEquals("::1", c.peers().get(2).host());
        assertEquals("[::1]:9003", c.peers().get(2).address());
        assertEquals(ClusterConfig.DEFAULT_SHARDS, c.shards());
    }

    @Test
    void aClusterOfOne() {
        ClusterConfig c = ClusterConfig.builder().serverId("solo").peers("solo=127.0.0.1:9000").dataDir(DATA).build();
        assertEquals(1, c.peers().size());
    }

    @Test
    void badPeerListsGetOneClearSentence() {
        assertTrue(error(() -> ClusterConfig.parsePeers("")).contains("empty"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1=a:1,,s2=b:2")).contains("empty entry"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1")).contains("is not ID=HOST:PORT"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1=hostonly")).contains("no HOST:PORT"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1=h:port")).contains("not a number"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1=h:70000")).contains("not in 1..65535"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1=h:1,s1=g:2")).contains("appears twice"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1=h:1,s2=H:1")).contains("address h:1 appears twice")
                || error(() -> ClusterConfig.parsePeers("s1=h:1,s2=H:1")).contains("appears twice"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s 1=h:1")).contains("must be 1 to 64 letters"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1=[::1:9")).contains("bracketed"));
        assertTrue(error(() -> ClusterConfig.parsePeers("s1=::1:9")).contains("no HOST:PORT"));
    }

    @Test
    void badSettingsGetOneClearSentence() {
        assertTrue(error(() -> valid().serverId("s9").build()).contains("s9 is not in the peer list"));
        assertTrue(error(() -> valid().serverId(null).build()).contains("server id"));
        assertTrue(error(() -> valid().dataDir(null).build()).contains("no data directory"));
        assertTrue(error(() -> valid().shards(0).build()).contains("shards must be in 1..256"));
        assertTrue(error(() -> valid().electionTimeout(Duration.ofMillis(500), Duration.ofMillis(500)).build())
                .contains("must exceed its minimum"));
        assertTrue(error(() -> valid().electionTimeout(Duration.ofMillis(10), Duration.ofMillis(500)).build())
                .contains("at least 50 ms"));
        assertTrue(error(() -> valid().maxBatchBytes(10).build()).contains("byte limit"));
        assertTrue(error(() -> valid().maxEntriesInFlight(0).build()).contains("entries in flight"));
        assertTrue(error(() -> valid().submitTimeout(Duration.ZERO).build()).contains("submit time-out"));
        assertTrue(error(() -> valid().clusterName("a b").build()).contains("cluster name"));
    }

    @Test
    void tlsTakesRaftOverGrpcAndRefusesNetty() {
        org.troupe.orb.TlsConfig tls = new org.troupe.orb.TlsConfig(Path.of("server.p12"), "pw", Path.of("trust.p12"),
                "pw", false);
        ClusterConfig.Builder b = ClusterConfig.builder().serverId("s1").peers("s1=127.0.0.1:9000,s2=127.0.0.1:9001")
                .dataDir(Path.of("data"));
        assertEquals(ClusterConfig.Transport.NETTY, b.build().transport(), "plaintext: Netty by default");
        assertEquals(ClusterConfig.Transport.GRPC, b.build().toBuilder().tls(tls).build().transport(),
                "TLS added to a configuration with the default transport");
        ClusterConfig withTls = b.tls(tls).build();
        assertEquals(ClusterConfig.Transport.GRPC, withTls.transport());
        assertEquals(tls, withTls.tls());
        assertEquals(ClusterConfig.Transport.GRPC, withTls.toBuilder().build().transport());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.transport(ClusterConfig.Transport.NETTY).build());
        assertTrue(e.getMessage().contains("Raft over TLS needs the gRPC transport"), e.getMessage());
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> ClusterConfig.builder()
                .serverId("s1").peers("s1=127.0.0.1:9000").dataDir(Path.of("data"))
                .tls(org.troupe.orb.TlsConfig.client(Path.of("trust.p12"), "pw")).build());
        assertTrue(noKey.getMessage().contains("key store"), noKey.getMessage());
    }
}
