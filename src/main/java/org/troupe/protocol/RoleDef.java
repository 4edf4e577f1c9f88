package org.troupe.protocol;

/**
 * A role of an application protocol: how many members it needs ({@code min}) and admits
 * ({@code max}; {@link #UNBOUNDED} for the XML's "n").
 */
public record RoleDef(String name, int min, int max) {
    /** A role's max "n". */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public RoleDef {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a role needs a name");
        }
        if (min < 0 || max < 0) {
            throw new IllegalArgumentException("role '" + name + "': min and max must not be negative");
        }
        if (min > max) {
            throw new IllegalArgumentException("role '" + name + "': min " + min + " > max " + max);
        }
    }

    /** "n" for an unbounded max, the number otherwise. */
    public String maxText() {
        return max == UNBOUNDED ? "n" : Integer.toString(max);
    }
}
