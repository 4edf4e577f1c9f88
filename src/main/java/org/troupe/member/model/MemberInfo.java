package org.troupe.member.model;

/** A member of a group: its id (1, 2, 3 ... per group), its name and its role. */
public record MemberInfo(long id, String name, String role) {
    @Override
    public String toString() {
        return name + "#" + id + "(" + role + ")";
    }
}
