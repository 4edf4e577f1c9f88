package org.troupe.server.groups;

/**
 * What a join answers: the member, its token, the view it came in with (and that view's sequence
 * id, from which it delivers), and per turn-based pattern the next turn as of that view.
 *
 * @param retried true if the join was a retry of an earlier one (nothing was applied again)
 */
public record Ticket(MemberInfo member, String token, View view, long viewSequenceId, int[] turnPositions,
        boolean retried) {
    /** Without the token: secrets are never logged. */
    @Override
    public String toString() {
        return "Ticket[member=" + member + ", view=" + view + ", viewSequenceId=" + viewSequenceId + ", retried="
                + retried + "]";
    }
}
