package org.troupe.protocol;

import java.time.Duration;
import java.util.List;

/**
 * One element of a message pattern: a {@code <query>}, a {@code <response>} or a turn-based
 * {@code <message>}.
 *
 * @param type the message type
 * @param role the role that sends it; null: any role
 * @param receivers the roles it goes to; empty: the whole group (for a response: the member
 *        that sent the query)
 * @param min how many of it the pattern needs (informative for queries and turns)
 * @param max how many of it the pattern admits ({@code #Role} allowed)
 * @param timeout for a response: how long after its query responses are collected; null: none
 * @param answers for a response: the type of the query it answers (a response may itself be a
 *        query for nested responses); null for a query or a turn
 */
public record Step(String type, String role, List<String> receivers, int min, Count max, Duration timeout,
        String answers) {
    public Step {
        receivers = List.copyOf(receivers);
    }

    /** True for a response (a reactive message). */
    public boolean isResponse() {
        return answers != null;
    }
}
