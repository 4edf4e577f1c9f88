package org.troupe.member.stack;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.StateTransfer;
import org.troupe.member.model.Turn;
import org.troupe.member.model.View;
import org.troupe.member.model.ViewChange;

/**
 * What travels through a member's protocol stack. Up events come from the group's channel (via
 * the transport at the bottom) and go towards the application; down events go from the
 * application towards the server. None of them is a CORBA type: the transport converts.
 */
public sealed interface StackEvent {

    /**
     * Up, first of all: the member is in, with the view of its join and that view's sequence id,
     * per turn-based pattern the next turn (0-based) as of that view, and the group's liveness
     * terms: how often the member must prove itself alive, and after how long without an answer
     * from the server it is out ({@code heartbeatMillis} 0: no heartbeats). {@code impliedFrom}:
     * the lowest {@code after} of an implied-order message (a response, a turn) that is for this
     * member: its view's sequence id for a join (one sent before the view is not for it); for a
     * member taken over from another process, the sequence id its client had delivered up to, so
     * that the turns and responses placed after it (which may share it) come again rather than
     * never.
     */
    record Joined(long memberId, String role, long viewSequenceId, View view, int[] turnPositions,
            long heartbeatMillis, long suspectMillis, long impliedFrom) implements StackEvent {
        public Joined(long memberId, String role, long viewSequenceId, View view, int[] turnPositions,
                long heartbeatMillis, long suspectMillis) {
            this(memberId, role, viewSequenceId, view, turnPositions, heartbeatMillis, suspectMillis, viewSequenceId);
        }

        public Joined(long memberId, String role, long viewSequenceId, View view, int[] turnPositions) {
            this(memberId, role, viewSequenceId, view, turnPositions, 0, 0);
        }

        public Joined(long memberId, String role, long viewSequenceId, View view) {
            this(memberId, role, viewSequenceId, view, new int[0]);
        }
    }

    /** Up: a Message from the channel, not yet ordered. */
    record MessageArrived(GroupMessage message) implements StackEvent {
    }

    /**
     * Up: a SequenceMessage from the channel: message (source, messageId) has sequence id
     * {@code sequenceId}; its destination and type tell a member whether it will get the message
     * at all (the channel filters at the source).
     */
    record OrderArrived(long source, long messageId, long sequenceId, Destination destination, String type)
            implements StackEvent {
        /** An order for a message to the whole group. */
        public OrderArrived(long source, long messageId, long sequenceId) {
            this(source, messageId, sequenceId, Destination.group(), "");
        }
    }

    /** Up: an UpdateView from the channel. */
    record ViewArrived(ViewChange change) implements StackEvent {
    }

    /** Up, above the ordering layer: a message to deliver, at its place in the total order. */
    record Deliver(GroupMessage message, long sequenceId) implements StackEvent {
    }

    /** Up, above the ordering layer: a view change to deliver, at its place in the total order. */
    record DeliverView(ViewChange change) implements StackEvent {
    }

    /** Up: the member is out of the group (removed, disconnected, server gone); the reason says why. */
    record Failed(String reason) implements StackEvent {
    }

    /**
     * Down: send a message (its message id is set). {@code now}: synchronously, after everything
     * queued before it, so that a refusal by the group (a response to a closed query, a turn out
     * of turn) comes back to the caller as a {@link StackRefusal} and costs the member nothing.
     * {@code query}: for a query, its record, which the correlation layer registers on the way
     * down; null otherwise.
     */
    record Send(GroupMessage message, boolean now, QueryRecord query) implements StackEvent {
        public Send(GroupMessage message) {
            this(message, false, null);
        }

        public Send(GroupMessage message, boolean now) {
            this(message, now, null);
        }
    }

    /** Up, every few tens of milliseconds: the stack's clock, for time-outs (injected in tests). */
    record Tick(long nanos) implements StackEvent {
    }

    /** Down, from the sequencer holder: this message is next in the total order. */
    record Order(long source, long messageId) implements StackEvent {
    }

    /**
     * Down, from the heartbeat layer, on its own thread: prove this member alive to the server.
     * The bottom answers on that thread: it returns, or throws {@link RemovedFromGroup} or
     * {@link ServerUnreachable}.
     */
    record Heartbeat() implements StackEvent {
    }

    /**
     * Down, from the application: leave the group. The bottom first sends what is queued (up to
     * its send time-out), then tells the server; until then the member still heartbeats and, if
     * it holds the sequencer, still orders. The delivery layer then closes the member.
     */
    record Leave() implements StackEvent {
    }

    /**
     * Down, from the application: wait until every message sent so far has reached the server,
     * up to {@code timeoutMillis}. The bottom completes {@code done}, on the caller's thread:
     * true if they all have, false on time-out or if the member is out.
     */
    record Flush(long timeoutMillis, CompletableFuture<Boolean> done) implements StackEvent {
    }

    /**
     * Down, from the delivery layer, once the member is out (the reason says why): what still
     * runs below stops. Never waits, so any thread may pass it, an ORB thread included.
     */
    record Halt(String reason) implements StackEvent {
    }

    /**
     * Up, above the state transfer layer: a joiner's state request reached this member at
     * {@code sequenceId}; the application's state must be captured when it gets here in the
     * delivery queue. {@code delivered} lists the unsequenced messages (source, message id pairs)
     * delivered since the joiner's join, which the state includes.
     */
    record CaptureState(long joiner, int attempt, long sequenceId, long[] delivered) implements StackEvent {
    }

    /**
     * Up, from the state transfer layer of a joiner: send a state request to member {@code
     * provider}. The application side sends it with the member's next message id, on a thread of
     * its own (the send may wait for room in the send queue, which the stack must not).
     */
    record RequestState(long provider, byte[] payload) implements StackEvent {
    }

    /**
     * Up, from the turn layer, after the join and after each turn delivered (before the turn
     * itself goes on up): the next turn of each turn-based pattern, by every message type in it
     * (a type in several patterns: the first pattern's).
     */
    record NextTurns(Map<String, Turn> byType) implements StackEvent {
        public NextTurns {
            byType = Map.copyOf(byType);
        }
    }

    /** Up, above the state transfer layer: the state for this joiner, before any later delivery. */
    record DeliverState(StateTransfer transfer) implements StackEvent {
    }

    /**
     * Up, from the correlation layer, right after what completed the query: its completion
     * listeners run when the application's side of the delivery queue gets here.
     */
    record QueryDone(QueryRecord query) implements StackEvent {
    }
}
