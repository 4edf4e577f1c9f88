package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a person reads when the command line cannot do its job: exactly one line on stderr, the
 * same for every command, naming the address and what to check, and no stack trace or ORB log
 * line unless {@code --verbose} (then the stack trace follows the same line). Each command runs
 * in its own JVM, as a user runs it.
 */
@Tag("process")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CliErrorsTest {
    private static final String NOT_AN_ADDRESS = "troupe: 'foo:bar' is not a server address (HOST:PORT,"
            + " corbaloc:iiop:HOST:PORT or IOR:...): 'bar' is not a port number";

    private static String unreachable(String where, String what) {
        return "troupe: cannot reach the Troupe server at " + where + " (" + what + "): is 'troupe server' running"
                + " there, and is the address right?";
    }

    /** Runs {@code troupe args...}: exit code 1, and stderr exactly {@code line}. */
    private static void saysExactly(String line, String... args) throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run(60_000, args);
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals(line, r.stderr().strip(), r.describe());
        assertEquals("", r.out().strip(), r.describe());
    }

    private static List<String[]> everyCommand(String server) {
        return List.of(new String[] {"channel", "list", "--server", server},
                new String[] {"channel", "create", "x", "--server", server},
                new String[] {"groups", "--server", server},
                new String[] {"member", "--server", server, "--group", "g", "--role", "r", "--name", "n"});
    }

    @Test
    void aValueThatIsNotAnAddress() throws Exception {
        saysExactly(NOT_AN_ADDRESS, "channel", "list", "--server", "foo:bar");
        saysExactly(NOT_AN_ADDRESS, "groups", "--server", "foo:bar");
    }

    @Test
    void noServerRunning() throws Exception {
        int port = JavaProcess.freePort();
        for (String[] cmd : everyCommand("127.0.0.1:" + port)) {
            saysExactly(unreachable("127.0.0.1:" + port, "TRANSIENT"), cmd);
        }
    }

    @Test
    void somethingElseListensThere() throws Exception {
        // a port where a server that does not speak IIOP answers (an HTTP server, say): JacORB
        // would log "incorrect magic number"
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            other.setSoTimeout(200);
            Thread answering = new Thread(() -> {
                while (!other.isClosed()) {
                    try (Socket s = other.accept()) {
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (SocketTimeoutException e) {
                        // look again whether the test is over
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "not-iiop");
            answering.setDaemon(true);
            answering.start();
            String where = "127.0.0.1:" + other.getLocalPort();
            saysExactly(unreachable(where, "COMM_FAILURE"), "channel", "list", "--server", where);
            saysExactly(unreachable(where, "COMM_FAILURE"), "groups", "--server", where);
        }
    }

    @Test
    void anUnreachableHost() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): routed nowhere
        saysExactly(unreachable("192.0.2.1:2809", "TRANSIENT"), "channel", "list", "--server", "192.0.2.1:2809");
        saysExactly(unreachable("192.0.2.1:2809", "TRANSIENT"), "groups", "--server", "192.0.2.1:2809");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        int port = JavaProcess.freePort();
        List<String> args = new ArrayList<>(List.of("channel", "list", "--server", "127.0.0.1:" + port, "--verbose"));
        TroupeProcesses.Result r = TroupeProcesses.run(60_000, args.toArray(new String[0]));
        assertEquals(1, r.exitCode(), r.describe());
        List<String> lines = r.stderr().strip().lines().toList();
        assertEquals(unreachable("127.0.0.1:" + port, "TRANSIENT"), lines.get(0), r.describe());
        assertTrue(lines.get(1).startsWith("org.omg.CORBA.TRANSIENT"), r.describe());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("\tat ")), r.describe());

        TroupeProcesses.Result before = TroupeProcesses.run(60_000, "--verbose", "groups", "--server", "foo:bar");
        assertEquals(NOT_AN_ADDRESS, before.stderr().strip().lines().findFirst().orElse(""), before.describe());
        assertTrue(before.stderr().contains("Exception: 'foo:bar' is not a server address"), before.describe());
        assertTrue(before.stderr().contains("\tat org.troupe."), before.describe());
    }
}
