package org.troupe.apps.teaching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.cli.TroupeCli;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * The tele-teaching apps end to end: a server, a Teacher ({@code troupe teach}) and Students
 * ({@code troupe learn}), each a separate JVM driven through stdin and read on stdout.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TeleTeachingAppTest {
    private static final long WAIT_MS = 20_000;
    private final List<JavaProcess> processes = new ArrayList<>();
    private String url;

    @AfterEach
    void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }

    private void server() throws Exception {
        int port = JavaProcess.freePort();
        processes.add(TroupeProcesses.startServer("server", port, List.of()));
        url = "127.0.0.1:" + port;
    }

    private JavaProcess troupe(String name, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--server");
        a.add(url);
        JavaProcess p = JavaProcess.start(name, TroupeProcesses.JVM_ARGS, TroupeCli.class, a);
        processes.add(p);
        p.awaitPrefix("JOINED ", WAIT_MS);
        return p;
    }

    private JavaProcess teacher(String group) throws Exception {
        return troupe("tess", "teach", "--group", group, "--name", "tess");
    }

    private JavaProcess student(String group, String name) throws Exception {
        return troupe(name, "learn", "--group", group, "--name", name);
    }

    /** The label (Q12) of the line "ASKED Q12: text". */
    private static String label(String asked) {
        return asked.substring(asked.indexOf(' ') + 1, asked.indexOf(':'));
    }

    @Test
    void aWholeLessonWithThreeStudentsOneKilledMidQuestion() throws Exception {
        server();
        JavaProcess tess = teacher("math");
        JavaProcess ann = student("math", "ann");
        JavaProcess bob = student("math", "bob");
        JavaProcess cy = student("math", "cy");
        tess.awaitLine(l -> l.startsWith("VIEW ") && l.contains("joined=cy"), "cy's view", WAIT_MS);

        tess.send("ask What is 2+2?");
        String q1 = label(tess.awaitNext("ASKED Q", WAIT_MS));
        for (JavaProcess s : List.of(ann, bob, cy)) {
            s.awaitPrefix("QUESTION " + q1 + " tess: What is 2+2?", WAIT_MS);
        }
        ann.send("answer 4");
        ann.awaitPrefix("ANSWERED " + q1 + ": 4", WAIT_MS);
        tess.awaitPrefix("ANSWER " + q1 + " ann: 4", WAIT_MS);
        bob.send("answer 5");
        tess.awaitPrefix("ANSWER " + q1 + " bob: 5", WAIT_MS);
        assertTrue(tess.lines().stream().noneMatch(l -> l.startsWith("SUMMARY " + q1)),
                "cy has not answered: the question is still open");

        cy.signal("KILL");
        tess.awaitLine(l -> l.startsWith("VIEW ") && l.contains("crashed=cy"), "the view without cy", WAIT_MS);
        assertEquals("SUMMARY " + q1 + " COMPLETE answered=ann,bob missing=- late=0",
                tess.awaitPrefix("SUMMARY " + q1, WAIT_MS),
                "#Student is 2 once cy crashed, and both answered: complete long before 60 s");

        tess.send("ask What is 3*3?");
        String q2 = label(tess.awaitNext("ASKED Q", WAIT_MS));
        ann.awaitPrefix("QUESTION " + q2, WAIT_MS);
        bob.awaitPrefix("QUESTION " + q2, WAIT_MS);
        bob.send("answer 9");
        tess.awaitPrefix("ANSWER " + q2 + " bob: 9", WAIT_MS);
        ann.send("answer 6");
        assertEquals("SUMMARY " + q2 + " COMPLETE answered=bob,ann missing=- late=0",
                tess.awaitPrefix("SUMMARY " + q2, WAIT_MS));

        tess.send("formula E = m c²");
        String f = label(tess.awaitNext("POSTED F", WAIT_MS));
        ann.awaitPrefix("FORMULA " + f + " tess: E = m c²", WAIT_MS);
        bob.awaitPrefix("FORMULA " + f, WAIT_MS);
        ann.send("doubt why squared?");
        tess.awaitPrefix("DOUBT " + f + " ann: why squared?", WAIT_MS);
        tess.send("explain ann units: energy is mass times speed squared");
        tess.awaitPrefix("EXPLAINED " + f + " ann", WAIT_MS);
        ann.awaitPrefix("EXPLANATION " + f + " tess: units: energy is mass times speed squared", WAIT_MS);
        tess.send("explain bob nothing to explain");
        assertEquals("ERROR no Doubt from bob about the last Formula (" + f + ")", tess.awaitNext("ERROR", WAIT_MS));
        bob.send("answer too late?");
        bob.send("doubt none");
        bob.awaitPrefix("DOUBTED " + f, WAIT_MS);
        String late = bob.awaitPrefix("ERROR ", WAIT_MS);
        assertTrue(late.contains("Answer") && late.contains(q2.substring(1)), "answering a closed question: " + late);

        for (JavaProcess s : List.of(ann, bob)) {
            assertTrue(s.lines().stream().noneMatch(l -> l.startsWith("MESSAGE") || l.startsWith("ANSWER ")),
                    s.name() + " never receives another Student's Answer: " + s.lines());
        }
        assertTrue(bob.lines().stream().noneMatch(l -> l.startsWith("EXPLANATION")), "the explanation went to ann only");
        for (JavaProcess p : List.of(ann, bob, tess)) {
            p.send("quit");
            assertEquals(0, p.awaitExit(WAIT_MS), p.describe());
        }
    }

    @Test
    void aLateStudentGetsTheLessonSoFarAndAnswersTheOpenQuestion() throws Exception {
        server();
        JavaProcess tess = teacher("late");
        JavaProcess ann = student("late", "ann");
        tess.awaitLine(l -> l.contains("joined=ann"), "ann's view", WAIT_MS);
        tess.send("ask Capital of France?");
        String q1 = label(tess.awaitNext("ASKED Q", WAIT_MS));
        ann.awaitPrefix("QUESTION " + q1, WAIT_MS);
        ann.send("answer Paris");
        tess.awaitPrefix("SUMMARY " + q1 + " COMPLETE answered=ann", WAIT_MS);
        tess.send("ask Capital of Japan?");
        String q2 = label(tess.awaitNext("ASKED Q", WAIT_MS));
        ann.awaitPrefix("QUESTION " + q2, WAIT_MS);

        JavaProcess dan = student("late", "dan");
        assertEquals("HISTORY " + q1 + " COMPLETE Capital of France? | ann: Paris", dan.awaitPrefix("HISTORY " + q1,
                WAIT_MS), "the closed question with its answers");
        assertEquals("HISTORY " + q2 + " OPEN Capital of Japan?", dan.awaitPrefix("HISTORY " + q2, WAIT_MS),
                "the open one, without answers");
        assertEquals("STATE from tess: 2 earlier items; open " + q2 + ": Capital of Japan?",
                dan.awaitPrefix("STATE", WAIT_MS));
        dan.send("answer Tokyo");
        tess.awaitPrefix("ANSWER " + q2 + " dan: Tokyo", WAIT_MS);
        ann.send("answer Kyoto?");
        assertEquals("SUMMARY " + q2 + " COMPLETE answered=dan,ann missing=- late=0",
                tess.awaitPrefix("SUMMARY " + q2, WAIT_MS), "dan counts in #Student from its join");
        for (JavaProcess p : List.of(dan, ann, tess)) {
            p.send("quit");
            assertEquals(0, p.awaitExit(WAIT_MS), p.describe());
        }
    }

    @Test
    void whenTheServerStopsAStudentSaysSoAndExitsWithoutAKeyPressed() throws Exception {
        server();
        JavaProcess server = processes.get(0);
        JavaProcess tess = teacher("ending");
        JavaProcess ann = student("ending", "ann");
        tess.awaitLine(l -> l.startsWith("VIEW ") && l.contains("joined=ann"), "ann's view", WAIT_MS);

        server.signal("TERM"); // the Students' stdin stays open: nothing is typed
        assertEquals(2, ann.awaitExit(WAIT_MS), "out of the group, not by leaving\n" + ann.describe());
        // told "stopping" by the server, finding it gone already when asking why its channel closed,
        // or its heartbeat finding it gone first: the server is named as the reason, not "removed"
        assertTrue(ann.lines().stream().anyMatch(l -> l.startsWith("CLOSED group ending: the server stopped")
                || l.startsWith("CLOSED group ending: the server has not answered for ")), ann.describe());
        assertEquals(2, tess.awaitExit(WAIT_MS), tess.describe());
    }

    @Test
    void aStudentStoppedWithCtrlCLeavesAndIsNotReportedCrashed() throws Exception {
        server();
        JavaProcess tess = teacher("ctrl-c");
        JavaProcess ann = student("ctrl-c", "ann");
        tess.awaitLine(l -> l.startsWith("VIEW ") && l.contains("joined=ann"), "ann's view", WAIT_MS);

        assertFalse(ignoresSigint(ann.pid()), "ann ignores SIGINT, inherited from whatever started Maven (a shell "
                + "without job control starts background commands so): run the suite in the foreground or with SIGINT "
                + "restored (docs/testing.md); the Ctrl-C cannot be tested");
        ann.signal("INT");
        ann.awaitExit(WAIT_MS);
        String view = tess.awaitLine(l -> l.startsWith("VIEW ") && (l.contains("left=ann") || l.contains("crashed=ann")),
                "the view without ann", WAIT_MS);
        assertTrue(view.contains("left=ann"), "ann left when stopped, she did not crash: " + view);
    }

    /** Whether the process ignores SIGINT: bit 2 of the SigIgn mask in /proc/PID/status (false if unreadable). */
    private static boolean ignoresSigint(long pid) throws java.io.IOException {
        java.nio.file.Path status = java.nio.file.Path.of("/proc", Long.toString(pid), "status");
        if (!java.nio.file.Files.isReadable(status)) {
            return false;
        }
        for (String line : java.nio.file.Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0x2) != 0;
            }
        }
        return false;
    }
}
