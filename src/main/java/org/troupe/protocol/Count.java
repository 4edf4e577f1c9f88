package org.troupe.protocol;

/**
 * A pattern's {@code max}: a fixed number, "n" (unbounded), or {@code #Role}, the number of
 * members in that role in the current view (so it shrinks when one of them leaves or crashes).
 */
public record Count(int fixed, String role) {
    /** The XML's "n". */
    public static final Count UNBOUNDED = new Count(RoleDef.UNBOUNDED, null);

    public static Count of(int n) {
        return new Count(n, null);
    }

    /** {@code #role}. */
    public static Count perRole(String role) {
        return new Count(-1, role);
    }

    /** True for {@code #Role}. */
    public boolean isPerRole() {
        return role != null;
    }

    /** The count now, given how many members each role has in the current view. */
    public int resolve(java.util.function.ToIntFunction<String> membersInRole) {
        return role != null ? membersInRole.applyAsInt(role) : fixed;
    }

    @Override
    public String toString() {
        return role != null ? "#" + role : fixed == RoleDef.UNBOUNDED ? "n" : Integer.toString(fixed);
    }
}
