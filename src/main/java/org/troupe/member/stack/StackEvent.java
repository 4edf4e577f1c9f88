package org.troupe.member.stack;

import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
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
     * and, per turn-based pattern, the next turn (0-based) as of that view.
     */
    record Joined(long memberId, String role, long viewSequenceId, View view, int[] turnPositions)
            implements StackEvent {
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
     * Up, above the state transfer layer: a joiner's state request reached this member at
     * {@code sequenceId}; the application's state must be captured when it gets here in the
     * delivery queue. {@code delivered} lists the unsequenced messages (source, message id pairs)
     * delivered since the joiner's join, which the state includes.
     */
    record CaptureState(long joiner, int attempt, long sequenceId, long[] delivered) implements StackEvent {
    }

    /** Up, above the state transfer layer: the state for this joiner, before any later delivery. */
    record DeliverState(org.troupe.member.model.StateTransfer transfer) implements StackEvent {
    }

    /**
     * Up, from the correlation layer, right after what completed the query: its completion
     * listeners run when the application's side of the delivery queue gets here.
     */
    record QueryDone(QueryRecord query) implements StackEvent {
    }
}
