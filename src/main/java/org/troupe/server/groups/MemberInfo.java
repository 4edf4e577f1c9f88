package org.troupe.server.groups;

/** A member as views and their changes show it: its id in the group, its name and role. */
public record MemberInfo(long id, String name, String role) {
}
