package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.Troupe;
import org.troupe.member.process.ProtocolMember.Child;
import org.troupe.member.process.ProtocolMember.Child.Delivered;
import org.troupe.protocol.ProtocolLoader;

/**
 * Correlation and filtering with real processes (bundled protocol {@code tele-teaching}, server
 * with its default heartbeat and suspect time): a Teacher and three Students, each in its own
 * JVM. The Teacher asks a Question (Answers: at most {@code #Student}, 60 s); two Students answer
 * and the query stays open; the third, which delivered the Question, is killed with SIGKILL
 * before answering. When the server removes it, {@code #Student} is two and the query completes
 * at once, long before its 60 s: COMPLETE, the two who answered as responders, nobody missing
 * (the crashed Student is no longer in the view). The next Question completes with the two
 * survivors' Answers. No Student ever delivers an Answer: they go to the Teacher only.
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuestionCrashProcessTest extends ProcessClusterTest {
    private static final String GROUP = "quiz";
    /** The crash is seen within the suspect time (2.5 s) and a heartbeat; far below the 60 s of the pattern. */
    private static final long COMPLETES_WITHIN_MS = 15_000;

    private final List<Child> members = new ArrayList<>();

    @AfterEach
    void stopMembers() {
        members.forEach(Child::close);
    }

    @Test
    void aQuestionCompletesWhenAStudentCrashesBeforeAnswering() throws Exception {
        long t0 = System.nanoTime();
        cluster = ProcessCluster.start(GROUP);
        try (Troupe admin = Troupe.connect(cluster.url())) {
            admin.createGroup(GROUP, ProtocolLoader.loadBundled("tele-teaching"));
        }
        Child teacher = start("Teacher", "teacher");
        Child s1 = start("Student", "s1");
        Child s2 = start("Student", "s2");
        Child s3 = start("Student", "s3");
        List<String> names = members.stream().map(Child::name).toList();
        for (Child m : members) {
            m.awaitJoined(ProcessCluster.START_TIMEOUT_MS);
        }
        List<String> full = null; // the members in join order (their JVMs start in any order)
        for (Child m : members) {
            full = m.awaitView(v -> v.members().containsAll(names), "the view of the Teacher and three Students",
                    WAIT_MS).members();
        }
        List<String> withoutS3 = new ArrayList<>(full);
        withoutS3.remove("s3");
        long started = System.nanoTime();

        assertEquals("ASKED q1", teacher.message("ASK", "Question", "q1", WAIT_MS));
        for (Child s : List.of(s1, s2, s3)) {
            s.awaitMessage("teacher", "Question", "q1", WAIT_MS);
        }
        assertEquals("SENT a1", s1.message("REPLY", "Answer", "a1", WAIT_MS));
        assertEquals("SENT a2", s2.message("REPLY", "Answer", "a2", WAIT_MS));
        teacher.awaitMessage("s1", "Answer", "a1", WAIT_MS);
        teacher.awaitMessage("s2", "Answer", "a2", WAIT_MS);
        // both Answers went through the teacher's correlation before it delivered them: still open, s3 counts
        assertEquals("STATUS q1 OPEN responders=s1,s2 missing=-", sortResponders(teacher.call("STATUS q1", WAIT_MS,
                "STATUS q1 ")), "q1 with two of three Students' Answers");

        s3.process().signal("KILL");
        long killed = System.nanoTime();
        String done = teacher.awaitQuery("q1", COMPLETES_WITHIN_MS);
        long completedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertEquals("QUERY q1 COMPLETE responders=s1,s2 missing=-", sortResponders(done),
                "q1 once s3 crashed: #Student is 2 and both answered; s3 is not in the view, so not missing");
        assertTrue(completedMs <= COMPLETES_WITHIN_MS, "q1 completed " + completedMs + " ms after the kill");
        for (Child m : List.of(teacher, s1, s2)) {
            Delivered v = m.awaitView(l -> !l.members().contains("s3") && l.crashed().contains("s3"),
                    "the view without the crashed s3", WAIT_MS);
            assertEquals(withoutS3, v.members(), m + ": the view after the crash '" + v + "'");
        }
        assertEquals(137, s3.process().awaitExit(WAIT_MS), "s3 was killed by SIGKILL");

        // the next Question: two Students in the view, so it completes with their two Answers
        assertEquals("ASKED q2", teacher.message("ASK", "Question", "q2", WAIT_MS));
        for (Child s : List.of(s1, s2)) {
            s.awaitMessage("teacher", "Question", "q2", WAIT_MS);
        }
        assertEquals("SENT b2", s2.message("REPLY", "Answer", "b2", WAIT_MS));
        assertEquals("SENT b1", s1.message("REPLY", "Answer", "b1", WAIT_MS));
        assertEquals("QUERY q2 COMPLETE responders=s1,s2 missing=-", sortResponders(teacher.awaitQuery("q2",
                WAIT_MS)), "q2, asked to the two remaining Students");
        long asked = System.nanoTime();

        // everyone leaves: a member prints what it delivered before its leave, then exits with 0
        for (Child m : List.of(s1, s2, teacher)) {
            assertEquals(0, m.leave(WAIT_MS), m + " leaves\n" + m.process().describe());
        }
        assertEquals(List.of("s1:Answer:a1", "s2:Answer:a2", "s2:Answer:b2", "s1:Answer:b1"),
                summary(teacher.messages()), "the teacher delivers the Answers, nothing else");
        assertEquals(List.of("teacher:Question:q1", "teacher:Question:q2"), summary(s1.messages()),
                "s1 delivers the Questions and no Answer (neither its own nor s2's)");
        assertEquals(List.of("teacher:Question:q1", "teacher:Question:q2"), summary(s2.messages()),
                "s2 delivers the Questions and no Answer (neither its own nor s1's)");
        assertEquals(List.of("teacher:Question:q1"), summary(s3.messages()), "s3 delivered q1, then was killed");
        System.err.printf("quiz: server and 4 members up in %d ms; q1 completed %d ms after s3 was killed; the whole"
                + " exchange took %d ms%n", (started - t0) / 1_000_000, completedMs, (asked - started) / 1_000_000);
    }

    private Child start(String role, String name) throws Exception {
        Child c = Child.start(cluster, GROUP, role, name);
        members.add(c);
        return c;
    }

    /** A {@code QUERY}/{@code STATUS} line with its responders sorted (they are listed in delivery order). */
    private static String sortResponders(String line) {
        StringBuilder b = new StringBuilder();
        for (String f : line.split(" ")) {
            if (f.startsWith("responders=") && !f.equals("responders=-")) {
                f = "responders=" + String.join(",", List.of(f.substring("responders=".length()).split(","))
                        .stream().sorted().toList());
            }
            b.append(b.length() == 0 ? "" : " ").append(f);
        }
        return b.toString();
    }

    private static List<String> summary(List<Delivered> messages) {
        return messages.stream().map(m -> m.sender() + ":" + m.type() + ":" + m.text()).toList();
    }
}
