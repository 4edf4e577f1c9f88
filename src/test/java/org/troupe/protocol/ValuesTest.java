package org.troupe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Attribute values, problem formatting, and the summary of a protocol the bundled ones do not cover. */
@Tag("unit")
class ValuesTest {

    @Test
    void timeouts() {
        assertEquals(Duration.ofSeconds(60), Values.timeout("60 s").value());
        assertEquals(Duration.ofSeconds(60), Values.timeout("60s").value());
        assertEquals(Duration.ofSeconds(60), Values.timeout(" 60  s ").value());
        assertEquals(Duration.ofMillis(500), Values.timeout("500 ms").value());
        assertEquals(Duration.ofMinutes(2), Values.timeout("2 min").value());
        assertEquals(Duration.ofHours(1), Values.timeout("1 h").value());
        assertEquals("timeout=\"60\" has no unit: write e.g. \"60 s\" (units: ms, s, min, h)",
                Values.timeout("60").error());
        assertTrue(Values.timeout("60 S").error().endsWith("units are lower case"));
        assertTrue(Values.timeout("1.5 s").error().contains("whole number and a unit"));
        assertTrue(Values.timeout("8 h").isOk());
        assertTrue(Values.timeout("200 h").error().contains("at most 7 days"));
        assertTrue(Values.timeout("99999999999 ms").error().contains("too long"));
    }

    @Test
    void counts() {
        assertEquals(Count.UNBOUNDED, Values.count("n").value());
        assertEquals(Count.of(5), Values.count("5").value());
        assertEquals(Count.perRole("Player 1"), Values.count("#Player 1").value());
        assertEquals("max=\"# Student\": no space after '#' (write \"#Student\")", Values.count("# Student").error());
        assertEquals(RoleDef.UNBOUNDED, Values.roleMax("n").value());
        assertEquals("min=\"1000001\" is too large (at most 1000000)", Values.min("min", "1000001").error());
        assertEquals(Integer.valueOf(7), Values.min("min", "007").value());
    }

    @Test
    void formatsTimeoutsAsWritten() {
        assertEquals("60 s", Values.format(Duration.ofSeconds(60)));
        assertEquals("120 s", Values.format(Duration.ofSeconds(120)));
        assertEquals("10 min", Values.format(Duration.ofMinutes(10)));
        assertEquals("500 ms", Values.format(Duration.ofMillis(500)));
        assertEquals("2 h", Values.format(Duration.ofHours(2)));
    }

    @Test
    void suggestsOnlyLikelyMisspellings() {
        assertEquals("Student", Values.closest("Studnet", List.of("Student", "Teacher")));
        assertEquals("Teacher", Values.closest("teacher", List.of("Student", "Teacher")));
        assertNull(Values.closest("Player 5", List.of("Player 1", "Player 2")), "numbered names are not typos");
        assertNull(Values.closest("A", List.of("Q")));
        assertNull(Values.closest("Pupil", List.of("Student", "Teacher")));
    }

    @Test
    void problemsPrintLikeCompilerMessages() {
        assertEquals("a.xml:3:7: wrong", new Problem("a.xml", 3, 7, "wrong").toString());
        assertEquals("a.xml: no such file", Problem.ofFile("a.xml", "no such file").toString());
        assertFalse(Problem.ofFile("a.xml", "x").hasPosition());
    }

    @Test
    void summaryOfAnyRoleAndAResponseToTwoQueries() throws ProtocolException {
        String xml = "<protocol name=\"ops\">\n"
                + "  <roles><role name=\"Admin\" min=\"1\" max=\"2\"/><role name=\"Node\" min=\"0\" max=\"n\"/></roles>\n"
                + "  <message-types><message-type name=\"Deploy\"/><message-type name=\"Drain\"/>"
                + "<message-type name=\"Ack\"/><message-type name=\"Log\"/></message-types>\n"
                + "  <message-patterns>\n"
                + "    <pattern><query type=\"Deploy\" role=\"Admin\" receiver=\"Node\"/>"
                + "<response type=\"Ack\" role=\"Node\" max=\"#Node\" timeout=\"30 s\"/></pattern>\n"
                + "    <pattern><query type=\"Drain\" role=\"Admin\" receiver=\"Node\"/>"
                + "<response type=\"Ack\" role=\"Node\" min=\"1\" max=\"1\" timeout=\"500 ms\"/></pattern>\n"
                + "  </message-patterns>\n"
                + "</protocol>\n";
        ApplicationProtocol p = ProtocolLoader.parse(xml, "ops.xml");
        String s = ProtocolSummary.render("ops.xml", p);
        assertTrue(s.startsWith("OK: ops.xml protocol ops\n"), s);
        assertTrue(s.contains("  Admin  1..2\n  Node   0..n\n"), s);
        assertTrue(s.contains("  Ack     reactive   Node      the querier  Deploy: 0..#Node in 30 s; Drain: 1..1 in 500 ms"),
                s);
        assertTrue(s.contains("  Log     proactive  any role  the group    -"), s);
        assertTrue(s.contains("  sequencer: total order for Deploy, Drain, Log; Ack skips it\n"), s);
    }
}
