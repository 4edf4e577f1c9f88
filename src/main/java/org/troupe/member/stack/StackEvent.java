package org.troupe.member.stack;

import org.troupe.member.GroupMessage;
import org.troupe.member.View;
import org.troupe.member.ViewChange;

/**
 * What travels through a member's protocol stack. Up events come from the group's channel (via
 * the transport at the bottom) and go towards the application; down events go from the
 * application towards the server. None of them is a CORBA type: the transport converts.
 */
public sealed interface StackEvent {

    /** Up, first of all: the member is in, with the view of its join and that view's sequence id. */
    record Joined(long memberId, String role, long viewSequenceId, View view) implements StackEvent {
    }

    /** Up: a Message from the channel, not yet ordered. */
    record MessageArrived(GroupMessage message) implements StackEvent {
    }

    /** Up: a SequenceMessage from the channel: message (source, messageId) has sequence id {@code sequenceId}. */
    record OrderArrived(long source, long messageId, long sequenceId) implements StackEvent {
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

    /** Down: send a message (its message id is set). */
    record Send(GroupMessage message) implements StackEvent {
    }

    /** Down, from the sequencer holder: this message is next in the total order. */
    record Order(long source, long messageId) implements StackEvent {
    }
}
