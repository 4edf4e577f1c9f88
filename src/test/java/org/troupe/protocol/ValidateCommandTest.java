package org.troupe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.cli.TroupeCli;
import picocli.CommandLine;

/** {@code troupe validate} through picocli, with its output captured. */
@Tag("unit")
class ValidateCommandTest {

    /** Exit code, stdout and stderr of one command line. */
    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = new CommandLine(new TroupeCli());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aBundledProtocolIsOkWithItsSummary() {
        Run r = run("validate", "tele-teaching");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        String expected = String.join("\n",
                "OK: classpath:xml-protocols/tele-teaching.xml protocol tele-teaching",
                "",
                "Roles",
                "  Student  1..n",
                "  Teacher  1..1",
                "",
                "Message types",
                "  TYPE           KIND       FROM     TO           ANSWERS                        ORDERING",
                "  Question       proactive  Teacher  Student      -                              total order (sequencer)",
                "  Answer         reactive   Student  Teacher      Question: 0..#Student in 60 s  after its query (skips the sequencer)",
                "  Formula        proactive  Teacher  Student      -                              total order (sequencer)",
                "  Doubt          reactive   Student  Teacher      Formula: 0..#Student in 120 s  after its query (skips the sequencer)",
                "  TeacherAnswer  reactive   Teacher  the querier  Doubt: 0..1 in 120 s           after its query (skips the sequencer)",
                "",
                "Patterns",
                "  Question (Teacher -> Student)",
                "    - Answer (Student -> Teacher) 0..#Student in 60 s",
                "  Formula (Teacher -> Student)",
                "    - Doubt (Student -> Teacher) 0..#Student in 120 s",
                "      - TeacherAnswer (Teacher -> the querier) 0..1 in 120 s",
                "",
                "Member stack (bottom to top)",
                "  CorbaTransport > HeartbeatLayer > TotalOrderLayer > DestinationFilterLayer > CorrelationLayer > StateTransferLayer > DeliveryLayer",
                "  correlation layer: yes (2 query patterns)",
                "  turn layer: no (no turn-based patterns)",
                "  sequencer: total order for Question, Formula; Answer, Doubt, TeacherAnswer skip it",
                "");
        assertEquals(expected, r.out().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void cardGameSummarySaysTurnsAndNoCorrelation() {
        Run r = run("validate", "card-game");
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("OK: classpath:xml-protocols/card-game.xml protocol card-game"), out);
        assertTrue(out.contains("  Play  turn  Player 1, Player 2, Player 3, Player 4  the group  -        "
                + "by turn (skips the sequencer)"), out);
        assertTrue(out.contains("  turns of Play: Player 1 > Player 2 > Player 3 > Player 4;"), out);
        assertTrue(out.contains("  CorbaTransport > HeartbeatLayer > TotalOrderLayer > DestinationFilterLayer > TurnLayer"
                + " > StateTransferLayer > DeliveryLayer"), out);
        assertTrue(out.contains("  correlation layer: no (no query patterns)"), out);
        assertTrue(out.contains("  sequencer: not needed"), out);
    }

    @Test
    void severalFilesQuietly() {
        Run r = run("validate", "--quiet", "tele-teaching", "card-game.xml");
        assertEquals(0, r.exit(), r.err());
        assertEquals("OK: classpath:xml-protocols/tele-teaching.xml protocol tele-teaching\n"
                + "OK: classpath:xml-protocols/card-game.xml protocol card-game\n",
                r.out().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aBrokenFilePrintsItsProblemsAndExitsOne() {
        Path broken = ProtocolTestFiles.brokenDirectory().resolve("m24-several.xml");
        Run r = run("validate", broken.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        String f = broken.toString();
        assertEquals(f + ":18:30: query 'Question': unknown role 'Techer'; did you mean 'Teacher'?\n"
                + f + ":19:88: timeout=\"1 minute\" has an unknown unit 'minute' (units: ms, s, min, h)\n"
                + f + ":22:14: unknown message type 'Formula'; the message types are 'Question' and 'Answer'\n"
                + f + ":23:46: response 'Answer': min 2 is more than max 1\n"
                + "FAILED: " + f + " (4 problems)\n", r.err().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void oneBadFileAmongGoodOnesFailsTheRun() {
        Path broken = ProtocolTestFiles.brokenDirectory().resolve("s04-missing-timeout.xml");
        Run r = run("validate", "-q", "card-game", broken.toString(), "no-such-protocol");
        assertEquals(1, r.exit());
        assertEquals("OK: classpath:xml-protocols/card-game.xml protocol card-game\n",
                r.out().replace(System.lineSeparator(), "\n"));
        String err = r.err().replace(System.lineSeparator(), "\n");
        assertTrue(err.contains(broken + ":16:7: <response> needs attribute 'timeout'"), err);
        assertTrue(err.contains("FAILED: " + broken + " (1 problem)\n"), err);
        assertTrue(err.contains("no-such-protocol: no such file, and no bundled protocol of that name"), err);
        assertTrue(err.endsWith("FAILED: no-such-protocol (1 problem)\n"), err);
    }

    @Test
    void noFileIsAUsageError() {
        Run r = run("validate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Missing required parameter"), r.err());
    }
}
