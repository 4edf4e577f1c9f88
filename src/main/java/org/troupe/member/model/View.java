package org.troupe.member.model;

import java.util.List;

/**
 * A group's view: its id (strictly increasing), the members in join order, whether every role's
 * {@code min} is met, and the member holding the sequencer (0: the server).
 */
public record View(long id, List<MemberInfo> members, boolean complete, long sequencer) {
    public View {
        members = List.copyOf(members);
    }

    /** The member with this id, or null. */
    public MemberInfo member(long memberId) {
        for (MemberInfo m : members) {
            if (m.id() == memberId) {
                return m;
            }
        }
        return null;
    }

    /** The number of members in {@code role}. */
    public int count(String role) {
        int n = 0;
        for (MemberInfo m : members) {
            if (m.role().equals(role)) {
                n++;
            }
        }
        return n;
    }
}
