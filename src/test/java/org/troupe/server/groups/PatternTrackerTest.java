package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.stack.TestProtocols;
import org.troupe.protocol.ApplicationProtocol;

/** The server's pattern authority on an injected clock: which responses and turns it takes, and why not. */
@Tag("unit")
class PatternTrackerTest {
    private static final ApplicationProtocol TT = TestProtocols.teleTeaching();
    private static final long SECOND = 1_000_000_000L;
    private final PatternTracker tracker = new PatternTracker(TT);
    private final Ref question = new Ref(1, 1);

    private int students = 3;

    private PatternTracker.OpenQuery answer(long from, Ref q, long now) throws PatternTracker.Refused {
        return tracker.respond(TT.rule("Answer"), q, from, now, role -> role.equals("Student") ? students : 1);
    }

    private void asked(long now) {
        tracker.opened(question, TT.rule("Question"), 1, now);
        tracker.placed(question, 7);
    }

    @Test
    void takesOneAnswerPerStudentUpToHashStudentThenCloses() throws Exception {
        asked(0);
        assertEquals(7, answer(2, question, SECOND).point, "the query's place: the answer is delivered after it");
        PatternTracker.Refused twice = assertThrows(PatternTracker.Refused.class, () -> answer(2, question, SECOND));
        assertTrue(twice.getMessage().contains("has answered this Question with a Answer already"), twice.getMessage());
        answer(3, question, SECOND);
        answer(4, question, SECOND);
        assertEquals(0, tracker.openQueries(), "3 of #Student = 3: complete");
        PatternTracker.Refused late = assertThrows(PatternTracker.Refused.class, () -> answer(5, question, SECOND));
        assertTrue(late.getMessage().contains("not an open query"), late.getMessage());
    }

    @Test
    void hashStudentIsCountedInTheCurrentView() throws Exception {
        asked(0);
        answer(2, question, SECOND);
        students = 1; // two Students left
        PatternTracker.Refused full = assertThrows(PatternTracker.Refused.class, () -> answer(3, question, SECOND));
        assertTrue(full.getMessage().contains("max #Student = 1"), full.getMessage());
    }

    @Test
    void refusesAfterTheTimeoutOnTheInjectedClock() throws Exception {
        asked(0);
        answer(2, question, 60 * SECOND);
        PatternTracker.Refused late = assertThrows(PatternTracker.Refused.class,
                () -> answer(3, question, 60 * SECOND + 1));
        assertTrue(late.getMessage().contains("timed out (60000 ms)"), late.getMessage());
        assertEquals(1, tracker.openQueries());
        assertEquals(1, tracker.expire(120 * SECOND), "one query closed, and counted");
        assertEquals(0, tracker.openQueries(), "expired queries are closed");
        assertEquals(0, tracker.expire(121 * SECOND));
    }

    @Test
    void refusesUnsolicitedMismatchedAndUnorderedAnswers() throws Exception {
        PatternTracker.Refused none = assertThrows(PatternTracker.Refused.class,
                () -> answer(2, new Ref(1, 99), 0));
        assertTrue(none.getMessage().contains("1/99, which is not an open query"), none.getMessage());
        Ref formula = new Ref(1, 2);
        tracker.opened(formula, TT.rule("Formula"), 1, 0);
        PatternTracker.Refused mismatch = assertThrows(PatternTracker.Refused.class, () -> answer(2, formula, 0));
        assertTrue(mismatch.getMessage().contains("a Answer answers Question, not a Formula"), mismatch.getMessage());
        tracker.opened(question, TT.rule("Question"), 1, 0);
        PatternTracker.Refused unordered = assertThrows(PatternTracker.Refused.class, () -> answer(2, question, 0));
        assertTrue(unordered.getMessage().contains("has not been ordered yet"), unordered.getMessage());
    }

    @Test
    void turnsGoInOrderAndWrapIntoRounds() throws Exception {
        PatternTracker cards = new PatternTracker(TestProtocols.cardGame());
        assertEquals(0, cards.turn("Play", "Player 1"));
        PatternTracker.NotYourTurn out = assertThrows(PatternTracker.NotYourTurn.class,
                () -> cards.turn("Play", "Player 3"));
        assertEquals("Player 2", out.expectedRole);
        assertTrue(out.getMessage().contains("it is Player 2's turn to send a Play (turn 2 of 4), not Player 3's"),
                out.getMessage());
        cards.turn("Play", "Player 2");
        cards.turn("Play", "Player 3");
        cards.turn("Play", "Player 4");
        assertEquals(0, cards.turnPositions()[0], "a new round");
        cards.turn("Play", "Player 1");
        assertEquals(1, cards.turnPositions()[0]);
    }
}
