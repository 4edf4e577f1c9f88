package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.troupe.eventclient.EventServiceClient;

/**
 * {@code troupe channel create|list|destroy} against a real server, each command in its own JVM
 * (as a user runs it).
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChannelCliTest {
    private JavaProcess server;
    private int port;
    private String base;

    @BeforeAll
    void startServer() throws Exception {
        port = JavaProcess.freePort();
        base = "corbaloc:iiop:127.0.0.1:" + port;
        server = TroupeProcesses.startServer("server", port, List.of());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createListDestroy() throws Exception {
        TroupeProcesses.Result created = TroupeProcesses.run("channel", "create", "cli-one", "--server", base);
        assertEquals(0, created.exitCode(), created.describe());
        List<String> out = created.stdout();
        assertTrue(out.get(0).startsWith("IOR:"), created.describe());
        assertTrue(out.contains("corbaloc:  " + base + "/Troupe/channels/cli-one"), created.describe());
        assertTrue(out.contains("corbaname: corbaname:iiop:127.0.0.1:" + port + "#troupe/channels/cli-one"),
                created.describe());

        // the printed IOR is the channel
        try (EventServiceClient client = EventServiceClient.connect(base)) {
            EventChannel ch = EventChannelHelper.narrow(client.orb().string_to_object(out.get(0)));
            ch.for_consumers(); // a real call: the reference works
            assertTrue(ch._is_equivalent(client.channel("cli-one")), "the IOR must be the channel's");
        }

        TroupeProcesses.Result listed = TroupeProcesses.run("channel", "list", "--server", base);
        assertEquals(0, listed.exitCode(), listed.describe());
        assertTrue(listed.stdout().get(0).startsWith("CHANNEL"), listed.describe());
        assertTrue(listed.stdout().stream().anyMatch(l -> l.matches("cli-one\\s+0\\s+0\\s+0\\s+0\\s+0\\s+0\\s+0\\s+0")),
                listed.describe());

        TroupeProcesses.Result destroyed = TroupeProcesses.run("channel", "destroy", "cli-one", "--server", base);
        assertEquals(0, destroyed.exitCode(), destroyed.describe());
        assertTrue(destroyed.stdout().contains("destroyed cli-one"), destroyed.describe());

        TroupeProcesses.Result after = TroupeProcesses.run("channel", "list", "--server", base);
        assertEquals(0, after.exitCode(), after.describe());
        assertFalse(after.stdout().stream().anyMatch(l -> l.startsWith("cli-one ")), after.describe());
    }

    @Test
    void groupsChannelsAreListedAndMarked() throws Exception {
        TroupeProcesses.Result created = TroupeProcesses.run("groups", "create", "cli-grp", "--server", base,
                "--roles", "Node:1:n", "--types", "Note");
        assertEquals(0, created.exitCode(), created.describe());
        try (org.troupe.member.Troupe t = org.troupe.member.Troupe.connect(base)) {
            org.troupe.member.Group g = t.join("cli-grp", "Node", "nina");
            TroupeProcesses.Result listed = TroupeProcesses.run("channel", "list", "--server", base);
            assertEquals(0, listed.exitCode(), listed.describe());
            assertTrue(listed.stdout().stream().anyMatch(l -> l.matches(
                    "group\\.cli-grp\\s+\\d+\\s+\\d+\\s+1\\s+0\\s+\\d+\\s+\\d+\\s+0\\s+0  \\(group channel\\)")),
                    listed.describe());
            assertTrue(listed.stdout().stream().anyMatch(l -> l.matches("\\d+ channel\\(s\\), 1 of them groups' own"
                    + " \\(reached only through a member's ticket\\)")), listed.describe());
            assertFalse(listed.out().matches("(?s).*group\\.cli-grp\\.[0-9a-f]{32}.*"), "its secret name never shows");
            g.leave();
            t.destroyGroup("cli-grp");
        }
    }

    @Test
    void creatingTwiceIsAClearError() throws Exception {
        TroupeProcesses.Result first = TroupeProcesses.run("channel", "create", "cli-twice", "--server", base);
        assertEquals(0, first.exitCode(), first.describe());
        TroupeProcesses.Result second = TroupeProcesses.run("channel", "create", "cli-twice", "--server", base);
        assertEquals(1, second.exitCode(), second.describe());
        assertTrue(second.stderr().contains("troupe: a channel named 'cli-twice' already exists"), second.describe());
        assertFalse(second.out().contains("IOR:"), second.describe());
    }

    @Test
    void invalidNameIsAClearError() throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run("channel", "create", "bad/name", "--server", base);
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("troupe: invalid channel name 'bad/name'"), r.describe());
        assertTrue(r.stderr().contains("1-64 characters"), r.describe());
        assertFalse(r.out().contains("IOR:"), r.describe());
    }

    @Test
    void destroyingAnUnknownChannelIsAClearError() throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run("channel", "destroy", "no-such-channel", "--server", base);
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("troupe: no channel named 'no-such-channel'"), r.describe());
    }

    @Test
    void unreachableServerIsAClearError() throws Exception {
        int nobody = JavaProcess.freePort();
        TroupeProcesses.Result r = TroupeProcesses.run("channel", "list", "--server", "127.0.0.1:" + nobody);
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("troupe: cannot reach the Troupe server at 127.0.0.1:" + nobody + " (TRANSIENT): is 'troupe server'"
                + " running there, and is the address right?", r.stderr().strip(), r.describe());
    }

    @Test
    void secondServerOnTheSamePortFailsWithClearError() throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run("server", "--port", Integer.toString(port));
        assertEquals(1, r.exitCode(), r.describe());
        assertFalse(r.out().contains("troupe server ready"), r.describe());
        assertTrue(r.stderr().contains("Address already in use"), r.describe());
        assertTrue(server.isAlive(), "the first server must be unaffected");
        TroupeProcesses.Result listed = TroupeProcesses.run("channel", "list", "--server", base);
        assertEquals(0, listed.exitCode(), listed.describe());
    }
}
