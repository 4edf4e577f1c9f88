package org.troupe.member.model;

/**
 * The next turn of a turn-based pattern (the card game's Play), as this member has delivered
 * the pattern so far: which type, whose role, which step of how many, and which round
 * (0-based: round {@code n} completes when its last step is delivered).
 */
public record Turn(String type, String role, int step, int steps, long round) {
    /** True if a member in {@code memberRole} may send now. */
    public boolean isFor(String memberRole) {
        return role == null || role.equals(memberRole);
    }

    @Override
    public String toString() {
        return (role == null ? "anyone" : role) + " sends " + type + " (turn " + (step + 1) + " of " + steps
                + ", round " + (round + 1) + ")";
    }
}
