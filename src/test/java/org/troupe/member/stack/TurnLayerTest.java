package org.troupe.member.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.stack.StackHarness.implied;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;

/** Turns: whose turn it is, local refusal out of turn, rounds, and the join's starting position. */
@Tag("unit")
class TurnLayerTest {
    private final TurnLayer turns = new TurnLayer(TestProtocols.cardGame());
    private final StackHarness h = new StackHarness(turns);

    private void played(long player, long id) {
        h.up(new StackEvent.Deliver(implied(player, id, "Play", Destination.group(), 0, 0, 1), 1));
    }

    private void send(long me) {
        h.stack.down(new StackEvent.Send(new GroupMessage(me, 1, Destination.group(), "Play", new byte[0], true, 0, 0),
                true));
    }

    @Test
    void playsGoInTurnAndRoundsComplete() {
        h.joined(2, "Player 2", 1, StackHarness.view(1, new MemberInfo(2, "p2", "Player 2")));
        assertEquals("Player 1", turns.next("Play").role());
        StackRefusal r = assertThrows(StackRefusal.class, () -> send(2));
        assertTrue(r.getMessage().contains("out of turn: it is Player 1 sends Play (turn 1 of 4"), r.getMessage());
        assertTrue(h.bottom.down.isEmpty(), "nothing left the member");
        played(1, 1);
        send(2);
        assertEquals(1, h.bottom.down.size());
        played(2, 1);
        played(3, 1);
        played(4, 1);
        assertEquals(1, turns.next("Play").round());
        assertEquals("Player 1", turns.next("Play").role());
    }

    @Test
    void theNextTurnGoesUpAfterTheJoinAndBeforeEachTurn() {
        h.joined(2, "Player 2", 1, StackHarness.view(1, new MemberInfo(2, "p2", "Player 2")));
        played(1, 1);
        List<String> seen = new ArrayList<>();
        for (StackEvent e : h.top.events) {
            if (e instanceof StackEvent.NextTurns t) {
                seen.add("next " + t.byType().get("Play").role());
            } else if (e instanceof StackEvent.Deliver d) {
                seen.add("played " + d.message().source());
            }
        }
        assertEquals(List.of("next Player 1", "next Player 2", "played 1"), seen,
                "whoever takes Player 1's Play sees that it is Player 2's turn");
    }

    @Test
    void aRejoiningPlayerStartsFromTheJoinsPosition() {
        h.joined(7, "Player 3", 9, StackHarness.view(4, new MemberInfo(7, "p3", "Player 3")), 2);
        assertEquals("Player 3", turns.next("Play").role());
        send(7);
        assertEquals(1, h.bottom.down.size());
    }
}
