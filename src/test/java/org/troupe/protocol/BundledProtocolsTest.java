package org.troupe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled protocols load, by name and by path, and imply what their patterns say: who sends
 * each type to whom, queries and their responses, turns, and which types skip the sequencer.
 */
@Tag("unit")
class BundledProtocolsTest {

    @Test
    void bundledNamesListsBoth() {
        assertEquals(List.of("card-game", "tele-teaching"), ProtocolLoader.bundledNames());
    }

    @Test
    void teleTeachingRolesAndTypes() throws ProtocolException {
        ApplicationProtocol p = ProtocolLoader.loadBundled("tele-teaching");
        assertEquals("tele-teaching", p.name());
        assertEquals(List.of(new RoleDef("Student", 1, RoleDef.UNBOUNDED), new RoleDef("Teacher", 1, 1)), p.roles());
        assertEquals(List.of("Question", "Answer", "Formula", "Doubt", "TeacherAnswer"), p.messageTypes());
        assertEquals(2, p.patterns().size());
    }

    @Test
    void teleTeachingQueriesAndResponses() throws ProtocolException {
        ApplicationProtocol p = ProtocolLoader.loadBundled("tele-teaching");

        TypeRule question = p.rule("Question");
        assertEquals(Set.of("Teacher"), question.senders());
        assertEquals(List.of("Student"), question.receivers());
        assertEquals(TypeRule.Kind.PROACTIVE, question.kind());
        assertTrue(question.isQuery());
        assertEquals(TypeRule.Ordering.TOTAL, question.ordering(true));
        assertTrue(question.allows("Teacher"));
        assertFalse(question.allows("Student"));

        TypeRule answer = p.rule("Answer");
        assertEquals(Set.of("Student"), answer.senders());
        assertEquals(List.of("Teacher"), answer.receivers());
        assertEquals(TypeRule.Kind.REACTIVE, answer.kind());
        assertEquals(Set.of("Question"), answer.answers());
        assertEquals(TypeRule.Ordering.AFTER_QUERY, answer.ordering(true));
        assertEquals(TypeRule.Ordering.TOTAL, answer.ordering(false));
        Step a = question.responses().get(0);
        assertEquals("Answer", a.type());
        assertEquals(0, a.min());
        assertEquals(Count.perRole("Student"), a.max());
        assertEquals(Duration.ofSeconds(60), a.timeout());

        TypeRule formula = p.rule("Formula");
        assertEquals(Set.of("Teacher"), formula.senders());
        assertEquals(List.of("Student"), formula.receivers());
        assertEquals(TypeRule.Kind.PROACTIVE, formula.kind());

        TypeRule doubt = p.rule("Doubt");
        assertEquals(Set.of("Student"), doubt.senders());
        assertEquals(List.of("Teacher"), doubt.receivers());
        assertEquals(TypeRule.Kind.REACTIVE, doubt.kind());
        assertEquals(Set.of("Formula"), doubt.answers());
        assertTrue(doubt.isQuery(), "a Doubt collects the TeacherAnswers");
        assertEquals(Duration.ofSeconds(120), formula.responses().get(0).timeout());

        TypeRule teacherAnswer = p.rule("TeacherAnswer");
        assertEquals(Set.of("Teacher"), teacherAnswer.senders());
        assertEquals(Set.of("Doubt"), teacherAnswer.answers());
        assertTrue(teacherAnswer.toQuerier(), "a TeacherAnswer goes back to the doubting Student");
        assertEquals(List.of(), teacherAnswer.receivers());
        assertEquals(TypeRule.Kind.REACTIVE, teacherAnswer.kind());
        assertEquals(TypeRule.Ordering.AFTER_QUERY, teacherAnswer.ordering(true));
        Step ta = doubt.responses().get(0);
        assertEquals(0, ta.min());
        assertEquals(Count.of(1), ta.max());
        assertEquals(Duration.ofSeconds(120), ta.timeout());
        assertEquals("Doubt", ta.answers());
    }

    @Test
    void teleTeachingStackHasACorrelationLayer() throws ProtocolException {
        ApplicationProtocol p = ProtocolLoader.loadBundled("tele-teaching");
        assertTrue(p.hasQueries());
        assertFalse(p.hasTurns());
        assertEquals(List.of("CorbaTransport", "HeartbeatLayer", "TotalOrderLayer", "DestinationFilterLayer",
                "CorrelationLayer", "StateTransferLayer", "DeliveryLayer"), p.layers(true, false));
        assertTrue(p.needsSequencer(true), "Question and Formula are sequenced");
    }

    @Test
    void cardGameIsTurnBased() throws ProtocolException {
        ApplicationProtocol p = ProtocolLoader.loadBundled("card-game");
        assertEquals("card-game", p.name());
        assertEquals(List.of("Player 1", "Player 2", "Player 3", "Player 4"),
                p.roles().stream().map(RoleDef::name).toList());
        for (RoleDef r : p.roles()) {
            assertEquals(1, r.min());
            assertEquals(1, r.max());
        }
        assertEquals(List.of("Play"), p.messageTypes());
        TypeRule play = p.rule("Play");
        assertEquals(Set.of("Player 1", "Player 2", "Player 3", "Player 4"), play.senders());
        assertEquals(List.of(), play.receivers(), "all four players: the whole group");
        assertFalse(play.toQuerier());
        assertEquals(TypeRule.Kind.TURN, play.kind());
        assertEquals(TypeRule.Ordering.TURN, play.ordering(true));
        Pattern.Turns turns = (Pattern.Turns) p.patterns().get(0);
        assertEquals(List.of("Player 1", "Player 2", "Player 3", "Player 4"),
                turns.turns().stream().map(Step::role).toList());
        for (Step s : turns.turns()) {
            assertEquals(List.of("Player 1", "Player 2", "Player 3", "Player 4"), s.receivers());
            assertEquals(1, s.min());
            assertEquals(Count.of(1), s.max());
            assertNull(s.timeout());
        }
    }

    @Test
    void cardGameStackHasNoCorrelationLayerAndNoSequencer() throws ProtocolException {
        ApplicationProtocol p = ProtocolLoader.loadBundled("card-game");
        List<String> layers = p.layers(true, false);
        assertFalse(layers.contains("CorrelationLayer"));
        assertTrue(layers.contains("TurnLayer"));
        assertFalse(p.needsSequencer(true), "the turn order implies the order of Plays");
        assertTrue(p.needsSequencer(false));
        assertFalse(p.layers(true, true).contains("SequencerLayer"));
    }

    @Test
    void loadByNameByFileNameAndByPathAgree(@TempDir Path dir) throws Exception {
        ApplicationProtocol byName = ProtocolLoader.load("tele-teaching");
        ApplicationProtocol byFileName = ProtocolLoader.loadBundled("tele-teaching.xml");
        Path copy = dir.resolve("tele-teaching.xml");
        Files.writeString(copy, ProtocolTestFiles.bundledText("tele-teaching"));
        ApplicationProtocol byPath = ProtocolLoader.load(copy.toString());
        ApplicationProtocol byPathObject = ProtocolLoader.load(copy);
        for (ApplicationProtocol p : List.of(byFileName, byPath, byPathObject)) {
            assertEquals(byName.name(), p.name());
            assertEquals(byName.roles(), p.roles());
            assertEquals(byName.messageTypes(), p.messageTypes());
            assertEquals(byName.patterns(), p.patterns());
            assertEquals(byName.rules(), p.rules());
        }
        assertEquals("classpath:xml-protocols/tele-teaching.xml", ProtocolLoader.sourceName("tele-teaching"));
        assertEquals(copy.toString(), ProtocolLoader.sourceName(copy.toString()));
    }

    @Test
    void defaultsAndNameFromTheFile() throws ProtocolException {
        String xml = "<protocol>\n"
                + "  <roles><role name=\"Asker\" min=\"1\" max=\"1\"/><role name=\"Helper\" min=\"0\" max=\"n\"/></roles>\n"
                + "  <message-types><message-type name=\"Ask\"/><message-type name=\"Help\"/>"
                + "<message-type name=\"Chat\"/></message-types>\n"
                + "  <message-patterns>\n"
                + "    <pattern><query type=\"Ask\"/><response type=\"Help\" timeout=\"500 ms\"/></pattern>\n"
                + "  </message-patterns>\n"
                + "</protocol>\n";
        ApplicationProtocol p = ProtocolLoader.parse(xml, "some/dir/help-desk.xml");
        assertEquals("help-desk", p.name(), "no name attribute: the file's name");
        Pattern.Query q = (Pattern.Query) p.patterns().get(0);
        assertNull(q.query().role(), "no role: any role");
        assertEquals(List.of(), q.query().receivers());
        assertEquals(1, q.query().min());
        assertEquals(Count.of(1), q.query().max());
        Step help = q.responses().get(0);
        assertEquals(0, help.min());
        assertEquals(Count.UNBOUNDED, help.max());
        assertEquals(Duration.ofMillis(500), help.timeout());
        assertTrue(p.rule("Help").toQuerier());
        assertEquals(Set.of(), p.rule("Ask").senders());
        TypeRule chat = p.rule("Chat");
        assertEquals(TypeRule.Kind.PROACTIVE, chat.kind(), "a type in no pattern");
        assertEquals(Set.of(), chat.senders());
        assertEquals(TypeRule.Ordering.TOTAL, chat.ordering(true));
    }

    @Test
    void aProtocolWithoutPatternsHasNoCorrelationLayer() throws ProtocolException {
        ApplicationProtocol p = ProtocolLoader.parse("<protocol name=\"chat\"><roles><role name=\"User\" min=\"1\" max=\"n\"/>"
                + "</roles><message-types><message-type name=\"Text\"/></message-types></protocol>", "chat.xml");
        assertTrue(p.patterns().isEmpty());
        assertEquals(List.of("CorbaTransport", "HeartbeatLayer", "TotalOrderLayer", "DestinationFilterLayer",
                "StateTransferLayer", "DeliveryLayer"), p.layers(true, false));
    }
}
