package org.troupe.isolation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.Troupe;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * A child process opens 1,000 TCP connections to a server and sends nothing: a real client
 * still connects and gets {@code groups} answered within a second, and the silent connections
 * are closed by the server once the idle time-out has passed.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IdleConnectionsTest {
    private static final int SOCKETS = 1000;

    @Test
    void idleConnectionsNeitherShutOutClientsNorStay() throws Exception {
        int port = JavaProcess.freePort();
        try (JavaProcess server = TroupeProcesses.startServer("server", port,
                List.of("--no-naming", "--max-connections", "300", "--idle-timeout", "3000"));
                JavaProcess idle = JavaProcess.start("idle-sockets", List.of("-Xmx128m"), IdleSockets.class,
                        List.of(Integer.toString(port), Integer.toString(SOCKETS)))) {
            String opened = idle.awaitPrefix("OPENED", 60_000);
            long openedAt = System.nanoTime();
            System.err.println("idle-connections: " + opened);
            long ms;
            try (Troupe t = Troupe.connect("127.0.0.1:" + port)) {
                long start = System.nanoTime();
                t.groups();
                ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            System.err.printf("idle-connections: groups answered in %d ms with %d silent connections%n", ms, SOCKETS);
            assertTrue(ms < 1000, "groups took " + ms + " ms");
            idle.awaitPrefix("ALL_CLOSED", 60_000);
            System.err.printf("idle-connections: all silent connections closed within %d ms of being open%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt));
            try (Troupe t = Troupe.connect("127.0.0.1:" + port)) {
                t.groups();
            }
            assertTrue(server.isAlive(), server.describe());
        }
    }
}
