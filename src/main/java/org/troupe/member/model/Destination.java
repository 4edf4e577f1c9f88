package org.troupe.member.model;

import java.util.Objects;

/** Who a message is for: the whole group, every member of one role, or one member. */
public record Destination(Kind kind, String role, long member) {
    /** The three kinds of destination. */
    public enum Kind { GROUP, ROLE, MEMBER }

    private static final Destination GROUP = new Destination(Kind.GROUP, "", 0);

    public Destination {
        Objects.requireNonNull(kind, "kind");
        role = role == null ? "" : role;
    }

    public static Destination group() {
        return GROUP;
    }

    public static Destination role(String role) {
        return new Destination(Kind.ROLE, Objects.requireNonNull(role, "role"), 0);
    }

    public static Destination member(long memberId) {
        return new Destination(Kind.MEMBER, "", memberId);
    }

    /** True if a member with this id and role is among the receivers. */
    public boolean includes(long memberId, String memberRole) {
        return switch (kind) {
            case GROUP -> true;
            case ROLE -> role.equals(memberRole);
            case MEMBER -> member == memberId;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case GROUP -> "group";
            case ROLE -> "role:" + role;
            case MEMBER -> "member:" + member;
        };
    }
}
