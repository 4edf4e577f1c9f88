package org.troupe.member.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.stack.StackHarness.implied;
import static org.troupe.member.stack.StackHarness.sequenced;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.View;

/**
 * The ordering and filtering layers between a fake transport and a recorder: total order with
 * skips for what the channel does not send a member, implied order for responses and turns,
 * JOIN_MODE, and that a response is held until its query is delivered.
 */
@Tag("unit")
class OrderingLayerTest {
    private static final MemberInfo TESS = new MemberInfo(1, "Tess", "Teacher");
    private static final MemberInfo ANN = new MemberInfo(2, "Ann", "Student");
    private static final MemberInfo BOB = new MemberInfo(3, "Bob", "Student");
    private static final View CLASS = StackHarness.view(1, TESS, ANN, BOB);

    private static StackHarness stack() {
        return new StackHarness(new TotalOrderLayer(1000, TestProtocols.teleTeaching()),
                new DestinationFilterLayer(false, TestProtocols.teleTeaching()));
    }

    @Test
    void aResponseThatRacesAheadOfItsQueryIsHeldUntilTheQueryIsDelivered() {
        StackHarness h = stack();
        h.joined(ANN.id(), "Student", 1, CLASS);
        h.up(new StackEvent.ViewArrived(StackHarness.change(1, CLASS, List.of(), List.of(), List.of())));
        // Ann doubts the Formula (2/1, seq 2); the Teacher's answer to her Doubt (after 2) arrives first
        h.up(new StackEvent.MessageArrived(implied(1, 2, "TeacherAnswer", Destination.member(2), 2, 1, 2)));
        h.up(new StackEvent.MessageArrived(implied(2, 1, "Doubt", Destination.group(), 1, 1, 2)));
        assertEquals(List.of("view 1"), h.top.lines, "held: the Formula they answer is not delivered yet");
        h.up(new StackEvent.MessageArrived(sequenced(1, 1, "Formula", Destination.group())));
        assertEquals(List.of("view 1"), h.top.lines, "held: the Formula's order is not in yet");
        h.up(new StackEvent.OrderArrived(1, 1, 2, Destination.group(), "Formula"));
        // the Doubt goes to the Teacher only: Ann delivers the Formula, then the answer to her Doubt
        assertEquals(List.of("view 1", "Formula 1/1", "TeacherAnswer 1/2"), h.top.lines);
    }

    @Test
    void atTheQuerierAResponseWaitsForTheQuerysPlaceEvenIfTheQueryIsNotForIt() {
        StackHarness h = stack();
        h.joined(TESS.id(), "Teacher", 1, CLASS);
        h.up(new StackEvent.ViewArrived(StackHarness.change(1, CLASS, List.of(), List.of(), List.of())));
        h.up(new StackEvent.MessageArrived(implied(2, 1, "Answer", Destination.role("Teacher"), 1, 1, 2)));
        assertEquals(List.of("view 1"), h.top.lines);
        // the Question (to Students) is not sent to the Teacher: its order is skipped, not waited for
        h.up(new StackEvent.OrderArrived(1, 1, 2, Destination.group(), "Question"));
        assertEquals(List.of("view 1", "Answer 2/1"), h.top.lines);
    }

    @Test
    void ordersOfMessagesTheChannelDoesNotSendAreSkippedWithoutWaiting() {
        StackHarness h = stack();
        h.joined(BOB.id(), "Student", 1, CLASS);
        h.up(new StackEvent.ViewArrived(StackHarness.change(1, CLASS, List.of(), List.of(), List.of())));
        // unoptimised: Ann's Answer to the Teacher is sequenced (seq 2); Bob is not sent it
        h.up(new StackEvent.OrderArrived(2, 1, 2, Destination.group(), "Answer"));
        // Ann's Answer addressed to Bob is not for him by type either (Answers go to Teachers)
        h.up(new StackEvent.OrderArrived(2, 2, 3, Destination.member(3), "Answer"));
        h.up(new StackEvent.MessageArrived(sequenced(1, 1, "Question", Destination.group())));
        h.up(new StackEvent.OrderArrived(1, 1, 4, Destination.group(), "Question"));
        assertEquals(List.of("view 1", "Question 1/1"), h.top.lines);
        TotalOrderLayer order = h.stack.layer(TotalOrderLayer.class);
        assertEquals(2, order.skipped());
    }

    @Test
    void joinModeDeliversNothingFromBeforeTheJoinsView() {
        StackHarness h = stack();
        View v2 = StackHarness.view(2, TESS, ANN, BOB);
        h.joined(BOB.id(), "Student", 5, v2);
        // published before Bob's view (seq 5): a sequenced message ordered at 4, a turn-free response after 3
        h.up(new StackEvent.MessageArrived(sequenced(1, 1, "Question", Destination.group())));
        h.up(new StackEvent.OrderArrived(1, 1, 4, Destination.group(), "Question"));
        h.up(new StackEvent.MessageArrived(implied(1, 9, "TeacherAnswer", Destination.member(3), 3, 1, 3)));
        h.up(new StackEvent.ViewArrived(StackHarness.change(5, v2, List.of(BOB), List.of(), List.of())));
        h.up(new StackEvent.MessageArrived(sequenced(1, 2, "Question", Destination.group())));
        h.up(new StackEvent.OrderArrived(1, 2, 6, Destination.group(), "Question"));
        assertEquals(List.of("view 2", "Question 1/2"), h.top.lines);
    }

    @Test
    void impliedOrderKeepsFifoWithTheSendersSequencedMessages() {
        StackHarness h = stack();
        h.joined(ANN.id(), "Student", 1, CLASS);
        h.up(new StackEvent.ViewArrived(StackHarness.change(1, CLASS, List.of(), List.of(), List.of())));
        // the Teacher's Question (seq 3), then its answer to Ann's Doubt, sent after it: after = 3
        h.up(new StackEvent.MessageArrived(sequenced(1, 1, "Question", Destination.group())));
        h.up(new StackEvent.MessageArrived(implied(1, 2, "TeacherAnswer", Destination.member(2), 2, 1, 3)));
        h.up(new StackEvent.OrderArrived(3, 1, 2, Destination.group(), "Answer")); // Bob's, not for Ann
        assertEquals(List.of("view 1"), h.top.lines, "waits for seq 3");
        h.up(new StackEvent.OrderArrived(1, 1, 3, Destination.group(), "Question"));
        assertEquals(List.of("view 1", "Question 1/1", "TeacherAnswer 1/2"), h.top.lines);
    }

    @Test
    void selfDiscardAndDestinations() {
        StackHarness h = new StackHarness(new TotalOrderLayer(1000, TestProtocols.teleTeaching()),
                new DestinationFilterLayer(true, TestProtocols.teleTeaching()));
        h.joined(ANN.id(), "Student", 1, CLASS);
        h.up(new StackEvent.ViewArrived(StackHarness.change(1, CLASS, List.of(), List.of(), List.of())));
        h.up(new StackEvent.MessageArrived(sequenced(1, 1, "Question", Destination.role("Student"))));
        h.up(new StackEvent.OrderArrived(1, 1, 2, Destination.role("Student"), "Question"));
        h.up(new StackEvent.MessageArrived(sequenced(1, 2, "Question", Destination.member(3))));
        h.up(new StackEvent.OrderArrived(1, 2, 3, Destination.member(3), "Question"));
        h.up(new StackEvent.MessageArrived(implied(2, 1, "Answer", Destination.role("Teacher"), 1, 1, 2)));
        assertEquals(List.of("view 1", "Question 1/1"), h.top.lines,
                "not Bob's Question, not Ann's own Answer (self-discard, and Answers go to Teachers)");
        assertTrue(h.stack.layer(DestinationFilterLayer.class).dropped() >= 1);
    }

    /** Ann's stack, sending: what reaches the (fake) transport, and what comes up. */
    private static GroupMessageSender ann() {
        StackHarness h = stack();
        h.joined(ANN.id(), "Student", 1, CLASS);
        h.up(new StackEvent.ViewArrived(StackHarness.change(1, CLASS, List.of(), List.of(), List.of())));
        return new GroupMessageSender(h);
    }

    private record GroupMessageSender(StackHarness h) {
        void send(org.troupe.member.model.GroupMessage m) {
            h.stack.down(new StackEvent.Send(m));
        }
    }

    @Test
    void ownSequencedMessagesAreDeliveredFromTheSendersCopyAtTheirOrder() {
        GroupMessageSender ann = ann();
        StackHarness h = ann.h();
        ann.send(sequenced(2, 1, "Doubt", Destination.group())); // Doubts go to Teachers: no copy kept
        ann.send(sequenced(2, 2, "Question", Destination.group())); // for Students, Ann included
        assertEquals(2, h.bottom.down.size(), "both go to the server");
        // the channel sends Ann only the orders of her own messages, and the Teacher's message
        h.up(new StackEvent.OrderArrived(2, 1, 2, Destination.group(), "Doubt"));
        h.up(new StackEvent.MessageArrived(sequenced(1, 1, "Question", Destination.group())));
        h.up(new StackEvent.OrderArrived(1, 1, 3, Destination.group(), "Question"));
        h.up(new StackEvent.OrderArrived(2, 2, 4, Destination.group(), "Question"));
        assertEquals(List.of("view 1", "Question 1/1", "Question 2/2"), h.top.lines);
        TotalOrderLayer order = h.stack.layer(TotalOrderLayer.class);
        assertEquals(1, order.skipped(), "her Doubt's sequence id, not for her");
        assertEquals(0, order.ownCopies());
    }

    @Test
    void anOwnMessageTheChannelSendsBackTakesTheCopysPlace() {
        GroupMessageSender ann = ann();
        StackHarness h = ann.h();
        TotalOrderLayer order = h.stack.layer(TotalOrderLayer.class);
        // a sequencer volunteer is sent its own messages (before their order): delivered once
        ann.send(sequenced(2, 1, "Question", Destination.group()));
        assertEquals(1, order.ownCopies());
        h.up(new StackEvent.MessageArrived(sequenced(2, 1, "Question", Destination.group())));
        assertEquals(0, order.ownCopies(), "the Message took the copy's place");
        h.up(new StackEvent.OrderArrived(2, 1, 2, Destination.group(), "Question"));
        h.up(new StackEvent.OrderArrived(1, 9, 3, Destination.group(), "Question"));
        h.up(new StackEvent.MessageArrived(sequenced(1, 9, "Question", Destination.group())));
        assertEquals(List.of("view 1", "Question 2/1", "Question 1/9"), h.top.lines);
        assertEquals(0, order.staleCopies());
    }

    /**
     * A member taken over from a process that died (a hosted member whose server was killed)
     * starts as if it had joined just after what its client had delivered, sequence id 4 here: the
     * table's Plays were all placed after that view (after = 4), those its client had and those to
     * come. They are for it: the ones had come again (its client drops them), the later ones are
     * delivered; turns placed before the position are not. A join at 5 takes none of them.
     */
    @Test
    void aMemberTakenOverGetsTheTurnsPlacedAfterItsClientsPosition() {
        View table = StackHarness.view(2, new MemberInfo(1, "a", "Player 1"), new MemberInfo(2, "b", "Player 2"));
        StackHarness resumed = new StackHarness(new TotalOrderLayer(1000, TestProtocols.cardGame()));
        resumed.up(new StackEvent.Joined(2, "Player 2", 5, table, new int[0], 0, 0, 4));
        resumed.up(new StackEvent.MessageArrived(implied(1, 1, "Play", Destination.group(), 0, 0, 3)));
        resumed.up(new StackEvent.MessageArrived(implied(1, 2, "Play", Destination.group(), 0, 0, 4)));
        resumed.up(new StackEvent.MessageArrived(implied(2, 1, "Play", Destination.group(), 0, 0, 4)));
        assertEquals(List.of("Play 1/2", "Play 2/1"), resumed.top.lines);

        StackHarness joined = new StackHarness(new TotalOrderLayer(1000, TestProtocols.cardGame()));
        joined.joined(2, "Player 2", 5, table);
        joined.up(new StackEvent.MessageArrived(implied(1, 2, "Play", Destination.group(), 0, 0, 4)));
        assertEquals(List.of(), joined.top.lines, "a turn placed before the joiner's view is not for it");
    }

    @Test
    void turnsSkipTheSequencerAndComeBackSoNoCopyIsKept() {
        StackHarness h = new StackHarness(new TotalOrderLayer(1000, TestProtocols.cardGame()));
        View table = StackHarness.view(1, new MemberInfo(1, "a", "Player 1"), new MemberInfo(2, "b", "Player 2"));
        h.joined(1, "Player 1", 1, table);
        h.up(new StackEvent.ViewArrived(StackHarness.change(1, table, List.of(), List.of(), List.of())));
        h.stack.down(new StackEvent.Send(sequenced(1, 1, "Play", Destination.group())));
        TotalOrderLayer order = h.stack.layer(TotalOrderLayer.class);
        assertEquals(0, order.ownCopies(), "a turn comes back with its place: nothing to keep");
        h.up(new StackEvent.MessageArrived(implied(1, 1, "Play", Destination.group(), 0, 0, 1)));
        assertEquals(List.of("view 1", "Play 1/1"), h.top.lines);

        // with implied order off, a turn is sequenced like anything else: kept, delivered at its order
        StackHarness off = new StackHarness(new TotalOrderLayer(1000, TestProtocols.cardGame(), false));
        off.joined(1, "Player 1", 1, table);
        off.up(new StackEvent.ViewArrived(StackHarness.change(1, table, List.of(), List.of(), List.of())));
        off.stack.down(new StackEvent.Send(sequenced(1, 1, "Play", Destination.group())));
        assertEquals(1, off.stack.layer(TotalOrderLayer.class).ownCopies());
        off.up(new StackEvent.OrderArrived(1, 1, 2, Destination.group(), "Play"));
        assertEquals(List.of("view 1", "Play 1/1"), off.top.lines);
    }

    @Test
    void aResponseTheServerReaddressesToTheQuerierLeavesNoCopyBehind() {
        // the Teacher answers Ann's Doubt with reply(): sent to the group, the server sends it to Ann only
        for (boolean impliedOrder : new boolean[] {true, false}) {
            StackHarness h = new StackHarness(new TotalOrderLayer(1000, TestProtocols.teleTeaching(), impliedOrder),
                    new DestinationFilterLayer(false, TestProtocols.teleTeaching()));
            h.joined(TESS.id(), "Teacher", 1, CLASS);
            h.up(new StackEvent.ViewArrived(StackHarness.change(1, CLASS, List.of(), List.of(), List.of())));
            TotalOrderLayer order = h.stack.layer(TotalOrderLayer.class);
            for (long id = 1; id <= 50; id++) {
                h.stack.down(new StackEvent.Send(new org.troupe.member.model.GroupMessage(1, id, Destination.group(),
                        "TeacherAnswer", new byte[0], false, 2, id)));
                if (!impliedOrder) { // sequenced: its order names Ann, who alone is sent it
                    h.up(new StackEvent.OrderArrived(1, id, 1 + id, Destination.member(2), "TeacherAnswer"));
                }
            }
            assertEquals(0, order.ownCopies(), "implied order " + impliedOrder + ": nothing left waiting");
            assertEquals(0, order.staleCopies());
            assertEquals(List.of("view 1"), h.top.lines, "none of them is for the Teacher");
        }
    }

    @Test
    void anOwnOrderWithNeitherCopyNorMessageFailsTheMemberInsteadOfStallingIt() {
        GroupMessageSender ann = ann();
        StackHarness h = ann.h();
        h.up(new StackEvent.OrderArrived(2, 7, 2, Destination.group(), "Question"));
        assertTrue(h.top.lines.get(h.top.lines.size() - 1).startsWith("failed own message 7 was ordered"),
                h.top.lines.toString());
    }

    @Test
    void aRefusedSendKeepsNoCopyAndCopiesAreBounded() {
        boolean[] refuse = {true};
        Layer server = new Layer() {
            @Override
            public void down(StackEvent e) {
                if (refuse[0]) {
                    throw new StackRefusal("refused");
                }
            }
        };
        StackHarness h = new StackHarness(server, new TotalOrderLayer(2, TestProtocols.teleTeaching()));
        h.joined(ANN.id(), "Student", 1, CLASS);
        for (int i = 1; i <= 5; i++) {
            org.troupe.member.model.GroupMessage q = sequenced(2, i, "Question", Destination.group());
            assertThrows(StackRefusal.class, () -> h.stack.down(new StackEvent.Send(q)));
        }
        refuse[0] = false;
        // the limit is 2 copies: had a refused send left its copy, the first of these would fail
        h.stack.down(new StackEvent.Send(sequenced(2, 6, "Question", Destination.group())));
        h.stack.down(new StackEvent.Send(sequenced(2, 7, "Question", Destination.group())));
        IllegalStateException full = assertThrows(IllegalStateException.class,
                () -> h.stack.down(new StackEvent.Send(sequenced(2, 8, "Question", Destination.group()))));
        assertTrue(full.getMessage().contains("hold-back buffer full"), full.getMessage());
        h.stack.down(new StackEvent.Send(sequenced(2, 9, "Doubt", Destination.group()))); // no copy: not for her
    }
}
