package org.troupe.member.model;

import java.util.List;

/**
 * What a query this member asked has collected so far, or at completion: its responses, who gave
 * them and who did not, and where it stands. The member API's {@code Query} and the correlation
 * layer's record of it are both one; so {@code Query.Outcome} is {@link Outcome}.
 */
public interface QueryResult {
    /** Where a query stands. */
    enum Outcome {
        /** Still collecting. */
        OPEN,
        /** Every response type has its max. */
        COMPLETE,
        /** The timeout passed first. */
        TIMED_OUT,
        /** The member left the group (or was removed) first. */
        CLOSED
    }

    /** The query's message id (the querier is this member). */
    long messageId();

    /** The query's message type. */
    String type();

    /** Where the query stands. */
    Outcome outcome();

    /** True once the query is no longer {@link Outcome#OPEN}. */
    default boolean isDone() {
        return outcome() != Outcome.OPEN;
    }

    /** The responses so far (or at completion), in delivery order. */
    List<Received> responses();

    /** The members that responded, in the order of their first response. */
    List<MemberInfo> responders();

    /**
     * At completion: the members of the responding roles, in the view of that moment, that did
     * not respond. Empty while open.
     */
    List<MemberInfo> missing();

    /** Responses that arrived after completion: counted, not added. */
    int late();
}
