package org.troupe.member.model;

import java.util.List;

/**
 * A view change, delivered in the group's total order: every member sees it between the same two
 * messages. {@code crashed} lists members removed because they stopped answering.
 */
public record ViewChange(long sequenceId, View view, List<MemberInfo> joined, List<MemberInfo> left,
        List<MemberInfo> crashed) implements Delivery {
    public ViewChange {
        joined = List.copyOf(joined);
        left = List.copyOf(left);
        crashed = List.copyOf(crashed);
    }

    /** True if {@code memberId} went out with this change (left or crashed). */
    public boolean removed(long memberId) {
        for (MemberInfo m : left) {
            if (m.id() == memberId) {
                return true;
            }
        }
        for (MemberInfo m : crashed) {
            if (m.id() == memberId) {
                return true;
            }
        }
        return false;
    }
}
