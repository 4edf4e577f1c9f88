package org.troupe.member;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * A Troupe server in the test JVM on 127.0.0.1 and a free port (heartbeat 100 ms, suspect
 * 600 ms), the member connections made to it (each with its own ORB, closed with the server),
 * and the receive helpers the member tests share.
 */
final class TestGroupsServer implements AutoCloseable {
    private final TroupeServer server;
    private final String url;
    private final List<Troupe> connections = new ArrayList<>();

    private TestGroupsServer(TroupeServer server, String url) {
        this.server = server;
        this.url = url;
    }

    static TestGroupsServer start() throws Exception {
        return start(new GroupSettings(100, 600, 4096));
    }

    /** A server whose groups have these settings (heartbeat, suspect time, payload limit). */
    static TestGroupsServer start(GroupSettings groups) throws Exception {
        return start(ChannelSettings.defaults(), groups);
    }

    /** A server whose channels and groups have these settings. */
    static TestGroupsServer start(ChannelSettings channels, GroupSettings groups) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TroupeServer server = TroupeServer.start(new ServerSettings("127.0.0.1", port, true,
                channels, groups));
        return new TestGroupsServer(server, "127.0.0.1:" + port);
    }

    String url() {
        return url;
    }

    /** A new connection (its own ORB), closed with the server. */
    Troupe connect() throws TroupeException {
        Troupe t = Troupe.connect(url);
        synchronized (connections) {
            connections.add(t);
        }
        return t;
    }

    @Override
    public void close() {
        synchronized (connections) {
            connections.forEach(Troupe::close);
        }
        server.close();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Receives until {@code n} messages are in (views skipped), or fails after 10 s. */
    static List<Received> messages(Group g, int n) throws Exception {
        List<Received> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (out.size() < n) {
            Delivery d = g.receive(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            assertNotNull(d, g + ": timed out after " + out.size() + " of " + n + " messages");
            if (d instanceof Received r) {
                out.add(r);
            }
        }
        return out;
    }
}
