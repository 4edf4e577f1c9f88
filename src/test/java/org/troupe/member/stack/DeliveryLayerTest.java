package org.troupe.member.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.stack.StackHarness.sequenced;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.Turn;
import org.troupe.member.model.View;

/**
 * The top of the stack and its hand-off, between a fake transport and the application's side:
 * deliveries in order, the view and turns and state requests to one side, a leave that goes down
 * before the member closes, and a Halt down once the member is out, whatever the reason.
 */
@Tag("unit")
class DeliveryLayerTest {
    private static final MemberInfo ANN = new MemberInfo(1, "ann", "Peer");
    private final Handoff handoff = new Handoff(4);
    private final StackHarness h = new StackHarness(new DeliveryLayer("g", handoff, 50));
    private final View v1 = StackHarness.view(1, ANN);

    private List<String> down() {
        List<String> out = new ArrayList<>();
        for (StackEvent e : h.bottom.down) {
            out.add(e instanceof StackEvent.Halt halt ? "Halt " + halt.reason() : e.getClass().getSimpleName());
        }
        return out;
    }

    @Test
    void deliveriesGoToTheQueueWithTheSenderAsTheViewKnowsIt() {
        h.joined(ANN.id(), "Peer", 1, v1);
        assertSame(v1, handoff.view());
        h.up(new StackEvent.Deliver(sequenced(1, 1, "Note", Destination.group()), 2));
        Received r = (Received) handoff.deliveries().poll();
        assertEquals(ANN, r.sender());
        assertEquals(2, r.sequenceId());
    }

    @Test
    void aLeaveGoesDownFirstThenTheMemberIsClosedAndWhatRunsBelowIsHalted() {
        h.joined(ANN.id(), "Peer", 1, v1);
        h.stack.down(new StackEvent.Leave());
        assertEquals(List.of("Leave", "Halt left group g"), down());
        assertEquals("left group g", handoff.closedReason());
        assertTrue(handoff.deliveries().poll() instanceof Handoff.Closed c && c.reason().equals("left group g"));
    }

    @Test
    void aMemberThatIsOutAlreadyDoesNotLeaveAgain() {
        h.joined(ANN.id(), "Peer", 1, v1);
        h.up(new StackEvent.Failed("removed from group g: gone"));
        h.up(new StackEvent.Failed("something later"));
        h.stack.down(new StackEvent.Leave());
        assertEquals(List.of("Halt removed from group g: gone"), down(), "one Halt, with the first reason; no Leave");
        assertEquals("removed from group g: gone", handoff.closedReason());
    }

    @Test
    void turnsAndStateRequestsAreHandedOverBesideTheDeliveries() throws Exception {
        h.joined(ANN.id(), "Peer", 1, v1);
        Turn next = new Turn("Play", "Player 2", 1, 4, 0);
        h.up(new StackEvent.NextTurns(Map.of("Play", next)));
        assertEquals(next, handoff.turn("Play"));
        assertNull(handoff.turn("Chat"));
        h.up(new StackEvent.RequestState(7, new byte[] {1}));
        StackEvent.RequestState r = handoff.nextRequest(1000);
        assertEquals(7, r.provider());
        assertTrue(handoff.deliveries().isEmpty(), "neither is a delivery");
    }

    @Test
    void aDeliveryQueueLeftFullFailsTheMemberAfterItsTimeOut() {
        h.joined(ANN.id(), "Peer", 1, v1);
        for (int i = 1; i <= 5; i++) {
            h.up(new StackEvent.Deliver(sequenced(1, i, "Note", Destination.group()), i));
        }
        assertEquals("the application did not take deliveries for 50 ms (queue of 4 full)", handoff.closedReason());
        assertEquals(List.of("Halt the application did not take deliveries for 50 ms (queue of 4 full)"), down());
        Object last = null;
        for (Object o = handoff.deliveries().poll(); o != null; o = handoff.deliveries().poll()) {
            last = o;
        }
        assertTrue(last instanceof Handoff.Closed, "the marker comes last: " + last);
    }
}
