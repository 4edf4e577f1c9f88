package org.troupe.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.bench.ThrowAwayPki;
import org.troupe.orb.ServerAddress;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/** Server addresses over TLS: {@code corbaloc:ssliop:} URLs, and IORs whose port is the TLS one. */
@Tag("integration")
class TlsAddressTest {
    @TempDir
    Path dir;

    @Test
    void ssliopUrlsNameTlsServersAndAreWrittenWithIiop12() {
        ServerAddress a = ServerAddress.parse("corbaloc:ssliop:1.2@h1:2810,ssliop:h2:2811/TroupeGroups");
        assertTrue(a.tls());
        assertEquals("corbaloc:ssliop:1.2@h1:2810,ssliop:1.2@h2:2811", a.corbaloc());
        assertEquals("corbaloc:ssliop:1.2@h1:2810/TroupeHosted", a.each().get(0).objectUrl("TroupeHosted"));
        ServerAddress plain = ServerAddress.parse("h1:2810");
        assertFalse(plain.tls());
        assertEquals("corbaloc:ssliop:1.2@h1:2810", plain.withTls(true).corbaloc());
        assertEquals("corbaname:ssliop:1.2@h1:2810#troupe/groups", plain.withTls(true).corbaname("troupe/groups"));
    }

    @Test
    void anIorOfATlsOnlyServerGivesItsTlsPort() throws Exception {
        ThrowAwayPki pki = ThrowAwayPki.create(dir);
        int port = JavaProcess.freePort();
        try (TroupeServer server = TroupeServer.start(ServerSettings.defaults(port), pki.server(false))) {
            ServerAddress a = ServerAddress.parse(server.orb().object_to_string(server.groupsAdministrator()));
            assertTrue(a.tls());
            assertEquals(port, a.port()); // the IIOP profile itself says port 0: no plaintext listener
            assertEquals("corbaloc:ssliop:1.2@127.0.0.1:" + port, server.baseUrl());
        }
    }
}
