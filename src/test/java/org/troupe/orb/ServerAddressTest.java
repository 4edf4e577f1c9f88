package org.troupe.orb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every form of server address a user may type or copy from what the server prints. */
@Tag("unit")
class ServerAddressTest {
    private static void reads(String text, String host, int port) {
        ServerAddress a = ServerAddress.parse(text);
        assertEquals(List.of(new ServerAddress.Endpoint(host, port)), a.endpoints(), text);
    }

    @Test
    void readsHostsPortsAndUrls() {
        reads("127.0.0.1", "127.0.0.1", 2809);
        reads(" example.org:4000 ", "example.org", 4000);
        reads("[::1]:4000", "::1", 4000);
        reads("corbaloc:iiop:127.0.0.1:4000", "127.0.0.1", 4000);
        reads("corbaloc:iiop:127.0.0.1:4000/", "127.0.0.1", 4000);
        reads("corbaloc:iiop:127.0.0.1:4000/TroupeEventChannelFactory", "127.0.0.1", 4000);
        reads("corbaloc:iiop:127.0.0.1:4000/Troupe/channels/d.t", "127.0.0.1", 4000);
        reads("corbaloc::127.0.0.1/NameService", "127.0.0.1", 2809);
        reads("corbaloc:iiop:1.2@127.0.0.1:4000/TroupeGroups", "127.0.0.1", 4000);
        reads("corbaloc:iiop:[::1]:4000/TroupeHosted", "::1", 4000);
        reads("corbaname::127.0.0.1:4000#troupe/channels/prices", "127.0.0.1", 4000);
        reads("corbaname:iiop:127.0.0.1:4000/NameService#troupe/groups", "127.0.0.1", 4000);
        reads("CORBALOC:IIOP:127.0.0.1:4000", "127.0.0.1", 4000);
    }

    @Test
    void readsTheIiopProfileOfAnIor() {
        // an IOR of JacORB 3.9 for a PushSupplier at 127.0.0.1:40389
        String ior = "IOR:000000000000002A49444C3A6F6D672E6F72672F436F734576656E74436F6D6D2F50757368537570706C69"
                + "65723A312E30000000000000010000000000000078000102000000000A3132372E302E302E31009DC50000001E"
                + "373030313131313733342F000A37152A4B252C100630463814141B484C1B000000000002000000000000000800"
                + "0000004A4143000000000100000024000000000501000100000002000100010001000F00010109000000020501"
                + "000100010100";
        reads(ior, "127.0.0.1", 40389);
        reads(ior.toLowerCase(java.util.Locale.ROOT).replace("ior:", "IOR:"), "127.0.0.1", 40389);
    }

    @Test
    void writesObjectUrlsOnTheServer() {
        ServerAddress a = ServerAddress.parse("corbaname::127.0.0.1:4000#troupe/channels/x");
        assertEquals("corbaloc:iiop:127.0.0.1:4000", a.corbaloc());
        assertEquals("corbaloc:iiop:127.0.0.1:4000/TroupeEventChannelFactory", a.objectUrl("TroupeEventChannelFactory"));
        assertEquals("corbaname:iiop:127.0.0.1:4000#troupe/channels/x", a.corbaname("troupe/channels/x"));
        assertEquals("corbaloc:iiop:[::1]:2809/K", ServerAddress.parse("[::1]").objectUrl("K"));
    }

    private static void refused(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(text), text);
        assertEquals(message, e.getMessage());
    }

    @Test
    void aWrongValueIsOneClearSentence() {
        String forms = " is not a server address (HOST:PORT, corbaloc:iiop:HOST:PORT or IOR:...)";
        refused("foo:bar", "'foo:bar'" + forms + ": 'bar' is not a port number");
        refused("host:70000", "'host:70000'" + forms + ": port 70000 is not in 1..65535");
        refused("IOR:zz", "'IOR:zz'" + forms + ": an IOR is 'IOR:' and an even number of hex digits");
        refused("IOR:0000", "'IOR:0000'" + forms + ": it cannot be read as an IOR");
        refused("corbaloc:rir:/NameService", "'corbaloc:rir:/NameService'" + forms
                + ": rir: names this process's own ORB, not a server");
        refused("corbaloc:http://x", "'corbaloc:http://x'" + forms + ": only iiop addresses are supported");
        refused("a b", "'a b'" + forms);
        refused(" ", "no server address given (HOST:PORT, corbaloc:iiop:HOST:PORT or IOR:...)");
        refused("h1:1,,h2:2", "'h1:1,,h2:2'" + forms + ": no host");
    }

    @Test
    void aClusterIsSeveralServersInOrder() {
        ServerAddress a = ServerAddress.parse("h1:2809, h2:2819,h3");
        assertEquals(List.of(new ServerAddress.Endpoint("h1", 2809), new ServerAddress.Endpoint("h2", 2819),
                new ServerAddress.Endpoint("h3", 2809)), a.endpoints());
        assertEquals("corbaloc:iiop:h1:2809,iiop:h2:2819,iiop:h3:2809/TroupeGroups", a.objectUrl("TroupeGroups"));
        assertEquals("corbaloc:iiop:h2:2819", a.each().get(1).corbaloc());
        assertEquals(a.endpoints(), ServerAddress.parse("corbaloc:iiop:h1:2809,iiop:h2:2819,:h3/TroupeGroups")
                .endpoints());
    }
}
