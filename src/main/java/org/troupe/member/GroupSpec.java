package org.troupe.member;

import java.util.ArrayList;
import java.util.List;

/**
 * What a group is created from, until XML application protocols: the protocol's name, its roles
 * ({@code min}/{@code max}; {@link #UNBOUNDED} for "n") and its message types.
 */
public record GroupSpec(String protocol, List<Role> roles, List<String> messageTypes) {
    public static final long UNBOUNDED = 4294967295L;

    /** A role with how many members it needs and admits. */
    public record Role(String name, long min, long max) {
    }

    /** The protocol this spec describes: these roles and types, no patterns. */
    public org.troupe.protocol.ApplicationProtocol toProtocol() {
        List<org.troupe.protocol.RoleDef> rs = new ArrayList<>();
        for (Role r : roles) {
            int max = r.max() >= UNBOUNDED ? org.troupe.protocol.RoleDef.UNBOUNDED : (int) Math.min(r.max(), Integer.MAX_VALUE - 1);
            rs.add(new org.troupe.protocol.RoleDef(r.name(), (int) Math.min(r.min(), Integer.MAX_VALUE - 1), max));
        }
        return org.troupe.protocol.ApplicationProtocol.of(protocol, rs, messageTypes);
    }

    public GroupSpec {
        roles = List.copyOf(roles);
        messageTypes = List.copyOf(messageTypes);
    }

    /**
     * Parses roles written as {@code Teacher:1:1,Student:1:n} (name, min, max; "n" is unbounded;
     * a bare name means 0..n) and types written as {@code Question,Answer}.
     */
    public static GroupSpec parse(String protocol, String roles, String types) {
        List<Role> rs = new ArrayList<>();
        for (String r : roles.split(",")) {
            String[] f = r.trim().split(":");
            if (f[0].isEmpty() || f.length == 2 || f.length > 3) {
                throw new IllegalArgumentException("role '" + r.trim() + "': write NAME or NAME:MIN:MAX (MAX may be n)");
            }
            try {
                long min = f.length == 3 ? Long.parseLong(f[1]) : 0;
                long max = f.length < 3 || f[2].equals("n") ? UNBOUNDED : Long.parseLong(f[2]);
                rs.add(new Role(f[0], min, max));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("role '" + r.trim() + "': MIN and MAX are numbers (MAX may be n)");
            }
        }
        List<String> ts = new ArrayList<>();
        for (String t : types.split(",")) {
            if (!t.isBlank()) {
                ts.add(t.trim());
            }
        }
        return new GroupSpec(protocol, rs, ts);
    }
}
