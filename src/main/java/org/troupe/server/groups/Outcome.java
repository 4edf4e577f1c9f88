package org.troupe.server.groups;

import java.util.List;

/**
 * What applying one command produced: its result (or why it was refused) and the events to
 * publish into the group's channel, in order.
 *
 * @param result the command's answer: a {@link Ticket} for a join, the removed members for a
 *     removal, otherwise null
 * @param refusal null, or why nothing was applied
 * @param events what to publish (empty when refused)
 */
public record Outcome(Object result, Refusal refusal, List<GroupEvent> events) {
    public Outcome {
        events = List.copyOf(events);
    }

    /** An outcome that refuses, with nothing to publish. */
    public static Outcome refused(Refusal why) {
        return new Outcome(null, why, List.of());
    }

    public boolean refused() {
        return refusal != null;
    }
}
