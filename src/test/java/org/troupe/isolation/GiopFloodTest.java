package org.troupe.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.Troupe;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * Three raw connections each announce a 1 GiB GIOP request (12 octets, no body) to a server with
 * a 256 MiB heap: it closes each after the header, allocates nothing for them, says so once per
 * connection, and goes on answering.
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GiopFloodTest {
    private static final byte[] GIGABYTE_REQUEST = {'G', 'I', 'O', 'P', 1, 2, 0, 0, 0x40, 0, 0, 0};

    @Test
    void hugeGiopHeadersAreRefusedBeforeAllocationAndTheServerGoesOn() throws Exception {
        int port = JavaProcess.freePort();
        try (JavaProcess server = TroupeProcesses.startServer("server", port, List.of("--no-naming"))) {
            List<Socket> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                    OutputStream out = s.getOutputStream();
                    out.write(GIGABYTE_REQUEST);
                    out.flush();
                    attackers.add(s);
                }
                for (Socket s : attackers) { // each is closed by the server after its header
                    s.setSoTimeout(10_000);
                    assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
                }
            } finally {
                for (Socket s : attackers) {
                    s.close();
                }
            }
            try (Troupe t = Troupe.connect("127.0.0.1:" + port)) {
                long start = System.nanoTime();
                t.groups();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.err.printf("giop-flood: groups answered in %d ms after three 1 GiB headers%n", ms);
            }
            assertTrue(server.isAlive(), server.describe());
            String err = server.stderr();
            assertFalse(err.contains("OutOfMemoryError"), err);
            assertEquals(3, err.lines().filter(l -> l.contains("announced a GIOP message of 1073741824 octets, over "
                    + "the limit of 67108864")).count(), err);
        }
    }
}
