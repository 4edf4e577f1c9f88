package org.troupe.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * {@code troupe server --host ADDRESS} on an address of this machine other than loopback: refused
 * without a credential, started with {@code --admin-secret-file} or with {@code --insecure}.
 * Skipped on a machine with no such address (the decision itself: {@link NetworkExposureTest}).
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExposedServerProcessTest {

    /** An IPv4 address of this machine that is not loopback, or null. */
    private static String otherAddress() throws Exception {
        for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }

    @Test
    void aServerOffLoopbackNeedsACredentialOrInsecure() throws Exception {
        String host = otherAddress();
        assumeTrue(host != null, "this machine has no address but loopback");
        int port = JavaProcess.freePort();
        TroupeProcesses.Result refused = TroupeProcesses.run("server", "--host", host, "--port",
                Integer.toString(port), "--no-naming");
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("troupe: refusing to listen on " + host + " without authentication"),
                refused.describe());
        assertFalse(refused.stderr().contains("\tat "), refused.describe());

        try (JavaProcess open = TroupeProcesses.startServer("insecure", port, List.of("--host", host, "--no-naming",
                "--insecure"))) {
            assertTrue(open.stderr().contains("warning: serving " + host + " without any credential"), open.describe());
        }

        Path dir = java.nio.file.Files.createTempDirectory("troupe-exposed");
        try {
            Path secret = Secrets.file(dir, "admin.secret", Secrets.random());
            try (JavaProcess guarded = TroupeProcesses.startServer("guarded", JavaProcess.freePort(),
                    List.of("--host", host, "--no-naming", "--admin-secret-file", secret.toString()))) {
                assertTrue(guarded.isAlive());
            }
        } finally {
            Secrets.delete(dir);
        }
    }
}
