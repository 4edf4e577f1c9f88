package org.troupe.member.model;

/**
 * Group state transfer's delivery to a joiner that asked for the state ({@code
 * JoinOptions.requestState}): the state that another member's {@code StateProvider} captured at
 * the place of the request in the group's order, delivered before every message after that place
 * (and none before it). {@code state} is null when no member could provide it: the joiner was
 * alone, or every candidate had no provider, left, or did not answer in time ({@code note} says
 * which); the joiner then gets every message since its join.
 *
 * @param state the state bytes, or null if none
 * @param from the member that provided it, or null
 * @param sequenceId the place in the group's order at which it was captured (0 if none)
 * @param note how it went, for people
 */
public record StateTransfer(byte[] state, MemberInfo from, long sequenceId, String note) implements Delivery {
    /** True if a member provided the state. */
    public boolean available() {
        return state != null;
    }
}
