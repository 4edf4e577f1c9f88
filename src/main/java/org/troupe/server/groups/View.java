package org.troupe.server.groups;

import java.util.List;

/**
 * An immutable view of a group.
 *
 * @param id 1, 2, 3 ... per group
 * @param members the members in join order
 * @param complete true when every role's minimum is met
 * @param sequencer the member holding the sequencer, or 0 for the server
 */
public record View(long id, List<MemberInfo> members, boolean complete, long sequencer) {
    public View {
        members = List.copyOf(members);
    }

    /** The view before the first join. */
    static final View NONE = new View(0, List.of(), false, 0);
}
