package org.troupe.protocol;

import java.util.List;
import java.util.Set;

/**
 * What an application protocol implies for one message type: who may send it, to whom it goes,
 * whether it is proactive, reactive or a turn, and the ordering it needs.
 *
 * @param type the message type
 * @param senders the roles that may send it; empty: any role
 * @param receivers the roles it goes to; empty: the whole group, or, if {@code toQuerier}, the
 *        member whose query it answers
 * @param toQuerier a response with no receiver: it goes to the member that sent the query
 * @param kind proactive, reactive or turn
 * @param answers for a reactive type: the types of the queries it answers
 * @param responses for a type that opens a pattern (a query, or a response with nested
 *        responses): the responses it collects
 */
public record TypeRule(String type, Set<String> senders, List<String> receivers, boolean toQuerier, Kind kind,
        Set<String> answers, List<Step> responses) {

    /** Proactive (a query, or a type in no pattern), reactive (a response) or a turn. */
    public enum Kind {
        PROACTIVE, REACTIVE, TURN
    }

    /** The ordering a message type gets. */
    public enum Ordering {
        /** The sequencer's total order. */
        TOTAL,
        /** Implied: after the query it answers (responses commute); skips the sequencer. */
        AFTER_QUERY,
        /** Implied: after the previous turn; skips the sequencer. */
        TURN
    }

    public TypeRule {
        senders = Set.copyOf(senders);
        receivers = List.copyOf(receivers);
        answers = Set.copyOf(answers);
        responses = List.copyOf(responses);
    }

    /**
     * True if a member in {@code role} is among this type's receivers by role (a response that
     * goes to the querier reaches whoever its address names).
     */
    public boolean reaches(String role) {
        return receivers.isEmpty() || toQuerier || receivers.contains(role);
    }

    /** True if {@code role} may send this type. */
    public boolean allows(String role) {
        return senders.isEmpty() || senders.contains(role);
    }

    /** True if a message of this type opens a pattern instance (responses are collected for it). */
    public boolean isQuery() {
        return !responses.isEmpty();
    }

    /**
     * The ordering this type gets: implied for responses and turns when {@code impliedOrder} is on
     * (the implied-order optimisation), the sequencer's total order otherwise.
     */
    public Ordering ordering(boolean impliedOrder) {
        if (!impliedOrder || kind == Kind.PROACTIVE) {
            return Ordering.TOTAL;
        }
        return kind == Kind.REACTIVE ? Ordering.AFTER_QUERY : Ordering.TURN;
    }
}
