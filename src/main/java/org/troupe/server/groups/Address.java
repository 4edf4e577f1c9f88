package org.troupe.server.groups;

/**
 * Who a message is for: the whole group, every member of one role, or one member.
 *
 * @param kind which of the three
 * @param role the role, for {@link Kind#ROLE}; otherwise ""
 * @param member the member, for {@link Kind#MEMBER}; otherwise 0
 */
public record Address(Kind kind, String role, long member) {
    /** The three kinds of destination. */
    public enum Kind {
        GROUP, ROLE, MEMBER
    }

    private static final Address GROUP = new Address(Kind.GROUP, "", 0);

    /** The whole group. */
    public static Address group() {
        return GROUP;
    }

    /** One member. */
    public static Address member(long id) {
        return new Address(Kind.MEMBER, "", id);
    }

    /** Every member of a role. */
    public static Address role(String role) {
        return new Address(Kind.ROLE, role, 0);
    }
}
