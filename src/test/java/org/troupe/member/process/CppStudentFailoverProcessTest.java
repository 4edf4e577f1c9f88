package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.interop.CppExamples;
import org.troupe.interop.WatchLine;
import org.troupe.member.Group;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.JavaProcess;

/**
 * The C++ Student (omniORB, a hosted member: its Java stack runs in the server it called) keeps
 * answering across a SIGKILL, of its class's leader or of its own server. When its hosting server
 * is another one, its stack moves to the new leader like any member's, and the program itself
 * notices nothing. A Java Teacher given every server asks before and after the kill; both
 * Questions complete with its Answer, and it is never removed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("process")
class CppStudentFailoverProcessTest extends ClusterProcessTest {

    @Test
    void aCppStudentKeepsAnsweringAcrossALeaderKill() throws Exception {
        CppExamples.build("the C++ Student across a leader kill");
        servers = ClusterServers.start("cppfailover", data, 3);
        String group = "cpp-class";
        servers.createGroup(group, ProtocolLoader.loadBundled("tele-teaching"));
        servers.awaitServed(group);
        int leader = servers.leaderNow(0, group);
        int host = (leader + 1) % 3; // the Student's stack runs on a server that survives the kill
        try (Troupe t = Troupe.connect(servers.all());
                JavaProcess cpp = JavaProcess.startCommand("troupe-student-zoe", List.of(
                        CppExamples.program("troupe-student").toString(), "--server", servers.address(host),
                        "--group", group, "--name", "Zoë", "--answer-template", "auto {id}: {question}"))) {
            long zoe = WatchLine.parse(cpp.awaitPrefix("JOINED", WAIT_MS)).num("member");
            Group tess = t.join(group, "Teacher", "tess");
            awaitStudents(tess, 1);

            ask(tess, "before", zoe);
            servers.signal(leader, "KILL");
            servers.awaitLeader(host, group, x -> x != leader, WAIT_MS);
            Query after = ask(tess, "after", zoe);
            assertTrue(tess.view().member(zoe) != null, "the C++ Student is still in: " + tess.view());
            // The program prints ANSWERED once its respond call returns, which may be after the
            // Teacher already holds the Answer: wait for the line rather than read it at once.
            cpp.awaitLine(l -> l.startsWith("ANSWERED") && l.contains("text=\"auto " + after.messageId() + ": after\""),
                    "ANSWERED for the Question asked after the kill", WAIT_MS);
            assertEquals(2, cpp.lines().stream().map(WatchLine::parse).filter(l -> l.is("ANSWERED")).count(),
                    cpp.describe());
            assertTrue(cpp.isAlive(), "the C++ program noticed nothing\n" + cpp.describe());
            System.err.printf("cpp-failover: killed %s; the C++ Student hosted on %s answered %s%n",
                    ClusterServers.id(leader), ClusterServers.id(host), after.responses());
            tess.leave();
        }
    }

    /**
     * The C++ Student's own server, also its class's leader, is SIGKILLed while the Teacher
     * streams Formulas: the program's next call on its HostedMember reference (whose IOR names
     * every server) reaches another server, which takes the member over where the program was;
     * the program prints every Formula once, in order, and answers the Question asked after the
     * kill. It is never removed.
     */
    @Test
    void aCppStudentWhoseServerIsKilledGoesOnOnAnotherServer() throws Exception {
        CppExamples.build("the C++ Student taken over by another server");
        servers = ClusterServers.start("cpptakeover", data, 3);
        String group = "cpp-takeover";
        servers.createGroup(group, ProtocolLoader.loadBundled("tele-teaching"));
        servers.awaitServed(group);
        int host = servers.leaderNow(0, group); // the Student's server and the class's leader: both go
        int formulas = 120;
        try (Troupe t = Troupe.connect(servers.all());
                JavaProcess cpp = JavaProcess.startCommand("troupe-student-zoe", List.of(
                        CppExamples.program("troupe-student").toString(), "--server", servers.address(host),
                        "--group", group, "--name", "Zoë", "--answer-template", "auto {id}: {question}",
                        "-ORBtraceLevel", System.getProperty("troupe.test.omni.trace", "0")))) {
            long zoe = WatchLine.parse(cpp.awaitPrefix("JOINED", WAIT_MS)).num("member");
            Group tess = t.join(group, "Teacher", "tess");
            awaitStudents(tess, 1);
            ask(tess, "before", zoe);
            Thread stream = new Thread(() -> {
                try {
                    for (int i = 1; i <= formulas; i++) {
                        tess.ask("Formula", ("f" + i).getBytes(StandardCharsets.UTF_8));
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "formulas");
            stream.start();
            cpp.awaitLine(l -> l.startsWith("FORMULA") && l.contains("text=\"f40\""), "FORMULA f40", WAIT_MS);
            servers.signal(host, "KILL");
            stream.join(WAIT_MS);
            cpp.awaitLine(l -> l.startsWith("FORMULA") && l.contains("text=\"f" + formulas + "\""),
                    "the last FORMULA", WAIT_MS);
            Query after = ask(tess, "after", zoe);
            cpp.awaitLine(l -> l.startsWith("ANSWERED") && l.contains("text=\"auto " + after.messageId() + ": after\""),
                    "ANSWERED for the Question asked after the kill", WAIT_MS);
            List<String> seen = cpp.lines().stream().map(WatchLine::parse).filter(l -> l.is("FORMULA"))
                    .map(l -> l.get("text")).toList();
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 1; i <= formulas; i++) {
                expected.add("f" + i);
            }
            assertEquals(expected, seen, "every Formula once, in order\n" + cpp.describe());
            assertTrue(tess.view().member(zoe) != null, "the C++ Student is still in: " + tess.view());
            assertTrue(cpp.isAlive(), "the C++ program goes on\n" + cpp.describe());
            System.err.printf("cpp-takeover: killed %s (the C++ Student's server and its class's leader); the Student "
                    + "printed %d Formulas once each and answered %s%n", ClusterServers.id(host), seen.size(),
                    after.responses());
            tess.leave();
        }
    }

    /** The Teacher asks; the Question completes with the C++ Student's Answer. */
    private static Query ask(Group tess, String text, long zoe) throws Exception {
        Query q = tess.ask("Question", text.getBytes(StandardCharsets.UTF_8));
        assertTrue(q.await(Duration.ofSeconds(30)), "Question '" + text + "' completes: " + q);
        assertEquals(Query.Outcome.COMPLETE, q.outcome(), q.toString());
        assertEquals(List.of("Zoë: auto " + q.messageId() + ": " + text), q.responses().stream()
                .map(r -> r.sender().name() + ": " + r.text()).toList());
        assertTrue(q.responders().stream().anyMatch(m -> m.id() == zoe));
        return q;
    }

    private static void awaitStudents(Group g, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (g.view().count("Student") < n) {
            assertTrue(System.nanoTime() < deadline, "Students in view: " + g.view());
            if (g.receive(Duration.ofMillis(50)) instanceof ViewChange) {
                continue;
            }
        }
    }
}
