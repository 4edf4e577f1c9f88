package org.troupe.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The decision: open on loopback; elsewhere only with a credential or --insecure. */
@Tag("unit")
class NetworkExposureTest {

    @Test
    void loopbackStaysOpen() {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1"}) {
            assertTrue(NetworkExposure.isLoopback(host), host);
            assertNull(NetworkExposure.refusal(host, false, false, false), host);
        }
    }

    @Test
    void anyOtherAddressNeedsACredentialOrInsecure() {
        for (String host : new String[] {"0.0.0.0", "192.0.2.2", "10.1.2.3", "::"}) {
            assertFalse(NetworkExposure.isLoopback(host), host);
            String why = NetworkExposure.refusal(host, false, false, false);
            assertNotNull(why, host);
            assertTrue(why.startsWith("refusing to listen on " + host + " without authentication"), why);
            assertTrue(why.contains("--admin-secret-file") && why.contains("--insecure"), why);
            assertNull(NetworkExposure.refusal(host, true, false, false), "with an admin credential");
            assertNull(NetworkExposure.refusal(host, false, true, false), "with TLS client certificates");
            assertNull(NetworkExposure.refusal(host, false, false, true), "with --insecure");
        }
    }

    @Test
    void anUnknownHostIsNotLoopback() {
        assertFalse(NetworkExposure.isLoopback("no-such-host.invalid"));
        assertEquals(true, NetworkExposure.refusal("no-such-host.invalid", false, false, false) != null);
    }
}
