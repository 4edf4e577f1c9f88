package org.troupe.protocol;

import java.util.List;

/** A {@code <pattern>} of an application protocol: a query with its responses, or turns. */
public sealed interface Pattern {

    /**
     * A query (proactive) and its responses (reactive), flattened: each response names, in
     * {@link Step#answers()}, the type it answers, which is the query's or another response's
     * (nested patterns, the correlator's "tree").
     */
    record Query(Step query, List<Step> responses) implements Pattern {
        public Query {
            responses = List.copyOf(responses);
        }
    }

    /**
     * A turn-based sequence (the card game's Play): one message per step, each step's role in
     * turn; a round completes when every step has been sent, and the next round starts over.
     */
    record Turns(List<Step> turns) implements Pattern {
        public Turns {
            turns = List.copyOf(turns);
        }
    }
}
