package org.troupe.apps.teaching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The lesson as state: round trip, open replies left out, idempotent posting, bad bytes. */
@Tag("unit")
class LessonTest {
    @Test
    void theStateLeavesOutTheRepliesToWhatIsStillOpen() {
        Lesson l = new Lesson();
        l.posted(Lesson.Kind.QUESTION, 1, 3, "2+2?");
        l.replied(1, 3, "ann", "4");
        l.closed(1, 3, "COMPLETE");
        l.posted(Lesson.Kind.FORMULA, 1, 4, "E = m c²");
        l.replied(1, 4, "bob", "why?");
        l.explained(1, 4, "bob", "units");
        l.closed(1, 4, "TIMED_OUT");
        l.posted(Lesson.Kind.QUESTION, 1, 5, "3*3?");
        l.replied(1, 5, "ann", "9");
        Lesson copy = Lesson.fromBytes(l.toBytes());
        assertEquals(List.of("Q3 COMPLETE 2+2? | ann: 4", "F4 TIMED_OUT E = m c² | bob: why? (explained: units)",
                "Q5 OPEN 3*3?"), copy.describe());
        assertEquals("Q5 OPEN 3*3? | ann: 9", l.describe().get(2), "the Teacher keeps them");
    }

    @Test
    void postingTwiceKeepsOneItem() {
        Lesson l = new Lesson();
        Lesson.Item a = l.posted(Lesson.Kind.QUESTION, 1, 3, "2+2?");
        assertSame(a, l.posted(Lesson.Kind.QUESTION, 1, 3, "2+2?"), "a state and a delivery may both carry it");
        l.posted(Lesson.Kind.QUESTION, 2, 3, "from a new Teacher");
        assertEquals(2, l.size(), "message ids are per sender");
    }

    @Test
    void badBytesAreAClearError() {
        assertEquals("lesson state version 7, expected 1", assertThrows(IllegalArgumentException.class,
                () -> Lesson.fromBytes(new byte[] {0, 0, 0, 7})).getMessage());
        byte[] cut = new Lesson().toBytes();
        assertThrows(IllegalArgumentException.class, () -> Lesson.fromBytes(java.util.Arrays.copyOf(cut, 5)));
    }
}
