package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.cli.TroupeCli;
import picocli.CommandLine;

/**
 * {@code troupe bench protocol}, run small through its command: the three lines' format, the
 * message counts, and the guarantees check. No timing is asserted (2 cores, many JVMs).
 */
@Tag("process")
class ProtocolBenchTest {
    private static final Pattern LINE = Pattern.compile("troupe bench=protocol protocol=tele-teaching students=2 "
            + "kind=(\\S+) msgs=(\\d+) p50_us=(\\d+) p99_us=(\\d+) events_per_msg=(\\d+\\.\\d\\d)");

    @Test
    void smallRunPrintsThreeLinesWithEveryMessageCountedAndTheGuaranteesKept() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ProtocolBenchCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // the server orders here: the test is about counts and guarantees, not placement (and a
        // Teacher-held sequencer, the bench's default, needs the holder to be sent the Questions it orders)
        int code = cl.execute("--protocol", "tele-teaching", "--students", "2", "--questions", "20", "--warmup", "5",
                "--size", "100", "--sequencer", "server", "--heap", "96m");
        assertEquals(0, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);

        List<String> lines = out.toString().lines().filter(l -> l.startsWith("troupe bench=protocol")).toList();
        assertEquals(3, lines.size(), out::toString);
        List<String> kinds = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), () -> "not in the bench's format: " + line);
            kinds.add(m.group(1));
            assertEquals(40, Integer.parseInt(m.group(2)), () -> "20 measured rounds x 2 receivers: " + line);
            assertTrue(Long.parseLong(m.group(3)) <= Long.parseLong(m.group(4)), () -> "p50 <= p99: " + line);
            assertTrue(Double.parseDouble(m.group(5)) >= 1.0, () -> "at least the Message event itself: " + line);
        }
        assertEquals(List.of("sequenced", "reactive", "reactive-unoptimised"), kinds);

        String checks = err.toString();
        assertTrue(checks.contains("# protocol bench run=optimised check=OK"), checks);
        assertTrue(checks.contains("# protocol bench run=unoptimised check=OK"), checks);
        assertFalse(checks.contains("check=FAILED"), checks);
    }

    @Test
    void theCheckFindsLostDuplicatedAndEarlyDeliveries() {
        int rounds = 3;
        int students = 2;
        List<String> teacher = new ArrayList<>(List.of("sequencer 1 1", "events Answer 6.0"));
        List<List<String>> studentLines = List.of(new ArrayList<>(List.of("events Question 6.0")),
                new ArrayList<>(List.of("events Question 6.0")));
        for (int r = 0; r < rounds; r++) {
            long asked = 1_000_000_000L * (r + 1);
            teacher.add("asked " + r + " " + asked);
            for (int s = 0; s < students; s++) {
                long place = 10 + r;
                studentLines.get(s).add("question " + r + " " + asked + " " + (asked + 3000) + " " + place + " true");
                teacher.add("answer " + r + " " + s + " " + (asked + 4000) + " " + (asked + 6000) + " " + place
                        + " false");
            }
            teacher.add("query " + r + " COMPLETE 2");
        }
        ProtocolBench.Run clean = ProtocolBench.analyse(true, students, 1, rounds, true, teacher, studentLines);
        assertTrue(clean.ok(), clean.problems()::toString);
        assertEquals(4, clean.sequenced().msgs()); // rounds 1 and 2 at 2 Students
        assertEquals(3, clean.sequenced().p50us());
        assertEquals(4, clean.reactive().msgs());
        assertEquals(2, clean.reactive().p50us());
        assertEquals(2.0, clean.sequenced().eventsPerMsg(), 1e-9); // 12 events for 6 deliveries, warm-up included
        assertEquals(1.0, clean.reactive().eventsPerMsg(), 1e-9);

        List<String> broken = new ArrayList<>(teacher);
        broken.removeIf(l -> l.startsWith("answer 2 1 "));               // lost
        broken.add(broken.stream().filter(l -> l.startsWith("answer 1 0 ")).findFirst().orElseThrow()); // duplicate
        broken.replaceAll(l -> l.startsWith("answer 0 1 ") ? l.replaceFirst(" 10 false$", " 9 false") : l); // early
        List<List<String>> brokenStudents = List.of(studentLines.get(0), new ArrayList<>(studentLines.get(1)));
        brokenStudents.get(1).removeIf(l -> l.startsWith("question 1 ")); // lost
        ProtocolBench.Run bad = ProtocolBench.analyse(true, students, 1, rounds, true, broken, brokenStudents);
        assertFalse(bad.ok());
        String problems = String.join("\n", bad.problems());
        assertTrue(problems.contains("never delivered student 1's Answer to round 2"), problems);
        assertTrue(problems.contains("delivered student 0's Answer to round 1 2 times"), problems);
        assertTrue(problems.contains("before its Question's sequence id 10"), problems);
        assertTrue(problems.contains("student 1 never delivered round 1's Question"), problems);
        assertTrue(bad.checkLine(students, rounds).contains("check=FAILED"));
    }

    @Test
    void theCommandIsRegisteredAndRefusesABadPlacementBeforeStartingAnything() {
        assertNotEquals(0, TroupeCli.run("bench", "protocol", "--sequencer", "nowhere"));
        assertNotEquals(0, TroupeCli.run("bench", "protocol", "--protocol", "card-game", "--students", "2"));
    }
}
