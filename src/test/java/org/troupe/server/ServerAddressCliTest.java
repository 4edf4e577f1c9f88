package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;

/**
 * Every URL or IOR the server prints works wherever a server is asked for: {@code --server} of
 * the CLI (each command in its own JVM), {@code EventServiceClient.connect} and
 * {@code Troupe.connect}; a value that is not a server address is one clear sentence.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServerAddressCliTest {
    private JavaProcess server;
    private int port;
    /** Every URL the server printed at start-up, and the IOR and URLs `channel create` printed. */
    private final List<String> printed = new ArrayList<>();

    @BeforeAll
    void startServer() throws Exception {
        port = JavaProcess.freePort();
        server = TroupeProcesses.startServer("server", port, List.of("--channel", "printed"));
        server.awaitPrefix("Stop with", 10_000);
        for (String line : server.lines()) {
            for (String word : line.trim().split("\\s+")) {
                if (word.startsWith("corbaloc:") || word.startsWith("corbaname:") || word.startsWith("IOR:")) {
                    printed.add(word.replace("NAME", "printed"));
                }
            }
        }
        // factory, groups, each group's, hosted, naming, channel corbaloc, channel corbaloc + corbaname
        assertTrue(printed.size() >= 8, "the server's printed URLs: " + printed + "\n" + server.describe());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theFactoryUrlTheServerPrintsWorksAsServerAndSoDoIorsAndChannelUrls() throws Exception {
        String factoryUrl = printed.stream().filter(u -> u.endsWith("/TroupeEventChannelFactory")).findFirst().orElseThrow();
        TroupeProcesses.Result created = TroupeProcesses.run("channel", "create", "via-factory-url", "--server", factoryUrl);
        assertEquals(0, created.exitCode(), created.describe());
        String ior = created.stdout().get(0);
        assertTrue(ior.startsWith("IOR:"), created.describe());
        String corbaname = created.stdout().stream().filter(l -> l.startsWith("corbaname: ")).findFirst().orElseThrow()
                .substring("corbaname: ".length());

        TroupeProcesses.Result byIor = TroupeProcesses.run("channel", "list", "--server", ior);
        assertEquals(0, byIor.exitCode(), byIor.describe());
        assertTrue(byIor.out().contains("via-factory-url"), byIor.describe());
        assertFalse(byIor.stderr().contains("Exception"), byIor.describe());

        TroupeProcesses.Result byName = TroupeProcesses.run("channel", "destroy", "via-factory-url", "--server", corbaname);
        assertEquals(0, byName.exitCode(), byName.describe());

        TroupeProcesses.Result groups = TroupeProcesses.run("groups", "--server", factoryUrl);
        assertEquals(0, groups.exitCode(), groups.describe());
    }

    @Test
    void everyPrintedUrlWorksInEventServiceClientAndTroupeConnect() throws Exception {
        List<String> all = new ArrayList<>(printed);
        try (EventServiceClient c = EventServiceClient.connect("127.0.0.1:" + port)) {
            all.add(c.orb().object_to_string(c.factory()));
            all.add(c.orb().object_to_string(c.channel("printed")));
        }
        for (String url : all) {
            try (EventServiceClient c = EventServiceClient.connect(url)) {
                assertTrue(c.factory().list_channels().length >= 1, url);
            }
            try (Troupe t = Troupe.connect(url)) {
                t.groups(); // a real call to the groups administrator
            } catch (TroupeException e) {
                throw new AssertionError(url + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void aValueThatIsNotAServerAddressIsOneSentence() throws Exception {
        for (String[] cmd : new String[][] {{"channel", "list"}, {"groups"}}) {
            List<String> args = new ArrayList<>(List.of(cmd));
            args.addAll(List.of("--server", "foo:bar"));
            TroupeProcesses.Result r = TroupeProcesses.run(args.toArray(new String[0]));
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("'foo:bar' is not a server address (HOST:PORT, corbaloc:iiop:HOST:PORT or"
                    + " IOR:...)"), r.describe());
            assertEquals(1, r.stderr().strip().lines().count(), "one line, no stack trace:\n" + r.describe());
        }
        TroupeProcesses.Result badIor = TroupeProcesses.run("channel", "list", "--server", "IOR:0123");
        assertEquals(1, badIor.exitCode(), badIor.describe());
        assertEquals(1, badIor.stderr().strip().lines().count(), "one line, no stack trace:\n" + badIor.describe());
        assertTrue(badIor.stderr().contains("is not a server address"), badIor.describe());
    }
}
