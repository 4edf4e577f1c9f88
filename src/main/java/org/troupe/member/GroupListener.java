package org.troupe.member;

import org.troupe.member.model.Received;
import org.troupe.member.model.StateTransfer;
import org.troupe.member.model.ViewChange;

/**
 * Push delivery: called on the group's delivery thread ({@link JoinOptions#listener}), or on the
 * thread that received the message ({@link JoinOptions#listenerInline}, one thread hand-off less),
 * one delivery at a time, in the group's order. A listener may call {@link Group#send}; it should
 * not block for long, since deliveries wait behind it (and the group's channel, once the delivery
 * queue is full; inline, at once).
 */
public interface GroupListener {
    void onMessage(Received message);

    /** A view change, at its place in the message order. */
    default void onView(ViewChange change) {
    }

    /**
     * The group's state, once, after the join's view and before any later message: only when
     * joined with {@link JoinOptions#requestState}.
     */
    default void onState(StateTransfer state) {
    }

    /** The group handle is closed: left, removed from the group, or the server is gone. */
    default void onClosed(String reason) {
    }
}
