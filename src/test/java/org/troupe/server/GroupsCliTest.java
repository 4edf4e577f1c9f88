package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.troupe.cli.TroupeCli;

/**
 * {@code troupe groups} and {@code troupe member} against a real server, each command in its own
 * JVM, members driven through stdin and read from stdout as a user would.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupsCliTest {
    private JavaProcess server;
    private String url;

    @BeforeAll
    void startServer() throws Exception {
        int port = JavaProcess.freePort();
        url = "127.0.0.1:" + port;
        server = TroupeProcesses.startServer("server", port, List.of("--no-naming"));
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private JavaProcess member(String name, String role, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("member", "--server", url, "--group", "cli",
                "--role", role, "--name", name));
        args.addAll(List.of(extra));
        JavaProcess p = JavaProcess.start(name, TroupeProcesses.JVM_ARGS, TroupeCli.class, args);
        p.awaitPrefix("joined cli as ", TroupeProcesses.START_TIMEOUT_MS);
        return p;
    }

    @Test
    void membersTalkAndGroupsListsThem() throws Exception {
        TroupeProcesses.Result created = TroupeProcesses.run("groups", "create", "cli", "--server", url, "--roles",
                "Teacher:1:1,Student:1:n", "--types", "Question,Answer", "--protocol", "tele-teaching");
        assertEquals(0, created.exitCode(), created.describe());
        assertEquals("group cli created", created.out().trim());

        try (JavaProcess tess = member("tess", "Teacher", "--type", "Question");
             JavaProcess ann = member("ann", "Student", "--type", "Answer")) {
            tess.send("2+2?");
            String got = ann.awaitLine(l -> l.contains("Question: 2+2?"), "tess's question", 10_000);
            assertTrue(got.matches("\\[\\d+] tess#1\\(Teacher\\) Question: 2\\+2\\?"), got);
            ann.send("/to role:Teacher");
            ann.send("4");
            tess.awaitLine(l -> l.endsWith("ann#2(Student) Answer: 4"), "ann's answer", 10_000);
            ann.send("/type Gossip");
            ann.awaitLine(l -> l.equals("error: group cli has no message type 'Gossip' (types: Question, Answer)"),
                    "the refusal", 10_000);
            ann.send("psst"); // the refused type did not stick: still an Answer, to the Teacher
            tess.awaitLine(l -> l.endsWith("ann#2(Student) Answer: psst"), "ann's answer after the refusal", 10_000);
            ann.send("/to role:Nope");
            ann.awaitLine(l -> l.equals("error: group cli has no role 'Nope' (roles: Teacher, Student)"), "no role",
                    10_000);
            ann.send("/to member:99");
            ann.awaitLine(l -> l.startsWith("error: member 99 is not in the view: "), "no member 99", 10_000);
            ann.send("/help");
            ann.awaitLine(l -> l.startsWith("/leave, /quit "), "the help", 10_000);
            ann.send("/nope");
            ann.awaitLine(l -> l.startsWith("error: unknown command '/nope'"), "an unknown command", 10_000);
            ann.send("//slash");
            tess.awaitLine(l -> l.endsWith("ann#2(Student) Answer: /slash"), "a line that starts with '/'", 10_000);
            assertTrue(tess.lines().stream().noneMatch(l -> l.contains("/help") || l.contains("/nope")
                    || l.contains("Nope") || l.contains("member:99")), "commands are not sent: " + tess.describe());

            TroupeProcesses.Result listed = TroupeProcesses.run("groups", "--server", url);
            assertEquals(0, listed.exitCode(), listed.describe());
            String out = listed.out();
            assertTrue(out.contains("cli  protocol=tele-teaching  view=2  members=2  complete=true  sequencer=server"), out);
            assertTrue(!out.contains("leader=") && !out.contains("term="), "a single server names no leader: " + out);
            assertTrue(out.contains("roles: Teacher 1..1, Student 1..n   types: Question, Answer"), out);
            assertTrue(out.matches("(?s).*\\n\\s+1\\s+tess\\s+Teacher\\n\\s+2\\s+ann\\s+Student.*"), out);

            ann.send("/quit");
            assertEquals(0, ann.awaitExit(15_000), ann.describe());
            tess.awaitLine(l -> l.contains("view 3") && l.contains("left ann#2(Student)"), "ann's leave", 10_000);
            TroupeProcesses.Result asJson = TroupeProcesses.run("groups", "--json", "--server", url);
            assertEquals(0, asJson.exitCode(), asJson.describe());
            assertEquals("{\"groups\":[{\"name\":\"cli\",\"protocol\":\"tele-teaching\",\"view\":3,\"members\":"
                    + "[{\"id\":1,\"name\":\"tess\",\"role\":\"Teacher\"}],\"complete\":false,\"sequencer\":0,"
                    + "\"messages_sequenced\":", asJson.out().substring(0, asJson.out().indexOf("\"messages_sequenced\":")
                    + "\"messages_sequenced\":".length()), "one JSON document: " + asJson.out());
            assertTrue(asJson.out().trim().endsWith(",\"views\":3}]}"), asJson.out());
            TroupeProcesses.Result alone = TroupeProcesses.run("groups", "--server", url);
            assertTrue(alone.out().contains("cli  protocol=tele-teaching  view=3  members=1  complete=false (Student 0 of 1)"
                    + "  sequencer=server"), "why the view is not complete: " + alone.out());
        }
        TroupeProcesses.Result destroyed = TroupeProcesses.run("groups", "destroy", "cli", "--server", url);
        assertEquals(0, destroyed.exitCode(), destroyed.describe());
    }

    @Test
    void watchListsAgainEverySecond() throws Exception {
        try (JavaProcess watch = JavaProcess.start("watch", TroupeProcesses.JVM_ARGS, TroupeCli.class,
                List.of("groups", "--watch", "1", "--server", url))) {
            watch.awaitPrefix("-- ", TroupeProcesses.START_TIMEOUT_MS);
            TroupeProcesses.Result created = TroupeProcesses.run("groups", "create", "watched", "--server", url,
                    "--roles", "A:0:n", "--types", "T");
            assertEquals(0, created.exitCode(), created.describe());
            watch.awaitPrefix("watched  protocol=", 15_000); // a later listing shows the new group
            assertTrue(watch.isAlive(), "it goes on watching: " + watch.describe());
        }
        assertEquals(0, TroupeProcesses.run("groups", "destroy", "watched", "--server", url).exitCode());
    }

    @Test
    void aMemberOfADestroyedGroupIsToldSoAndExits() throws Exception {
        assertEquals(0, TroupeProcesses.run("groups", "create", "doomed", "--server", url, "--roles", "A:0:n",
                "--types", "T").exitCode());
        List<String> args = List.of("member", "--server", url, "--group", "doomed", "--role", "A", "--name", "dan");
        try (JavaProcess dan = JavaProcess.start("dan", TroupeProcesses.JVM_ARGS, TroupeCli.class, args)) {
            dan.awaitPrefix("joined doomed as ", TroupeProcesses.START_TIMEOUT_MS);
            assertEquals(0, TroupeProcesses.run("groups", "destroy", "doomed", "--server", url).exitCode());
            assertEquals(2, dan.awaitExit(20_000), "out, without a line typed\n" + dan.describe());
            assertTrue(dan.lines().contains("closed: group doomed: the group was destroyed"), dan.describe());
        }
    }

    @Test
    void errorsAreOneClearLine() throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run("member", "--server", url, "--group", "nope", "--role", "x",
                "--name", "y");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("troupe: unknown group 'nope'"), r.stderr());
        r = TroupeProcesses.run("groups", "destroy", "nope", "--server", url);
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("troupe: unknown group 'nope'"), r.stderr());
        r = TroupeProcesses.run("groups", "create", "bad", "--server", url, "--roles", "A:2:1", "--types", "T");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("troupe: cannot create group 'bad': role 'A': min 2 > max 1"), r.stderr());
    }
}
