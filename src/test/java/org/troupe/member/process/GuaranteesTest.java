package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.troupe.member.process.Member.Line;

/** The checks of {@link Guarantees} catch what they should, on made-up sequences (no processes). */
@Tag("unit")
class GuaranteesTest {
    private static final Member ANN = Member.recorded("ann", 1);
    private static final Member BOB = Member.recorded("bob", 2);
    private static final Map<Long, String> NAMES = Map.of(1L, "ann", 2L, "bob");

    private static List<Line> lines(String... raw) {
        List<Line> out = new ArrayList<>();
        for (String r : raw) {
            out.add(Line.parse(r));
        }
        return out;
    }

    private static final List<Line> GOOD = lines("V 1 1 1 seq=0", "M 2 1 ann:1", "V 3 2 1,2 seq=0", "M 4 2 bob:1",
            "M 5 1 ann:2", "M 6 2 bob:2");

    private static void fails(String expectedPart, Runnable check) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, check::run);
        assertTrue(e.getMessage().contains(expectedPart), "expected a failure about '" + expectedPart + "', got: "
                + e.getMessage());
    }

    @Test
    void aGoodSequencePasses() {
        Guarantees.checkOwnStream(ANN, GOOD);
        Guarantees.checkFifo(ANN, GOOD, NAMES, true);
        Guarantees.checkAllFrom(ANN, GOOD, "bob", 2);
        Map<Member, List<Line>> seqs = new LinkedHashMap<>();
        seqs.put(ANN, GOOD);
        seqs.put(BOB, GOOD.subList(2, GOOD.size()));
        Guarantees.checkIdenticalFrom(GOOD.get(2), seqs);
        Guarantees.checkOverlapsIdentical(seqs);
    }

    @Test
    void gapsReorderingDuplicatesAndLossAreCaught() {
        fails("expected its own join view", () -> Guarantees.checkOwnStream(BOB, GOOD));
        fails("(a gap)", () -> Guarantees.checkOwnStream(ANN, lines("V 1 1 1 seq=0", "M 3 1 ann:1")));
        fails("(not increasing)", () -> Guarantees.checkOwnStream(ANN, lines("V 1 1 1 seq=0", "M 2 1 ann:1",
                "M 2 1 ann:2")));
        fails("expected view id 2", () -> Guarantees.checkOwnStream(ANN, lines("V 1 1 1 seq=0", "V 2 3 1 seq=0")));
        fails("not in the view in force", () -> Guarantees.checkOwnStream(ANN, lines("V 1 1 1 seq=0",
                "M 2 2 bob:1")));
        fails("FIFO broken for ann: expected ann:2", () -> Guarantees.checkFifo(ANN, lines("V 1 1 1 seq=0",
                "M 2 1 ann:1", "M 3 1 ann:3", "M 4 1 ann:2"), NAMES, true));
        fails("FIFO broken for ann: expected ann:1", () -> Guarantees.checkFifo(ANN, lines("V 1 1 1 seq=0",
                "M 2 1 ann:2"), NAMES, true));
        fails("duplicate delivery 'M 3 1 ann:1'", () -> Guarantees.checkFifo(ANN, lines("V 1 1 1 seq=0",
                "M 2 1 ann:1", "M 3 1 ann:1"), NAMES, true));
        fails("carries another sender's text", () -> Guarantees.checkFifo(ANN, lines("V 1 1 1,2 seq=0",
                "M 2 1 bob:1"), NAMES, true));
        fails("expected all 3 messages of bob but 2 were delivered", () -> Guarantees.checkAllFrom(ANN, GOOD, "bob",
                3));
    }

    @Test
    void aMessageAfterItsSendersRemovalIsCaught() {
        List<Line> seq = lines("V 1 1 1,2 seq=2", "V 2 2 1 seq=0", "M 3 2 bob:1");
        fails("who is not in the view in force", () -> Guarantees.checkOwnStream(ANN, seq));
    }

    @Test
    void differentOrdersAndMisplacedViewsAreCaught() {
        Map<Member, List<Line>> seqs = new LinkedHashMap<>();
        seqs.put(ANN, GOOD);
        seqs.put(BOB, lines("V 3 2 1,2 seq=0", "M 4 2 bob:1", "M 5 2 bob:2", "M 6 1 ann:2"));
        fails("bob#2: position 2 after 'V 3 2 1,2 seq=0': expected 'M 5 1 ann:2'",
                () -> Guarantees.checkIdenticalFrom(GOOD.get(2), seqs));
        fails("sequence id 5: ann#1 delivered 'M 5 1 ann:2' but bob#2 delivered 'M 5 2 bob:2'",
                () -> Guarantees.checkOverlapsIdentical(seqs));
        seqs.put(BOB, lines("V 3 2 1,2 seq=0", "M 4 2 bob:1", "M 5 1 ann:2"));
        fails("delivered 3 lines from 'V 3 2 1,2 seq=0' on, but ann#1 delivered 4",
                () -> Guarantees.checkIdenticalFrom(GOOD.get(2), seqs));
        Guarantees.checkOverlapsIdentical(seqs); // bob's last delivery is 5: the overlap agrees
    }
}
