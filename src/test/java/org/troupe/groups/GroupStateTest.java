package org.troupe.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Membership state without CORBA: what it remembers of departed members, and for how long. */
class GroupStateTest {

    private static GroupState classroom() {
        return new GroupState(List.of(new GroupState.Role("Teacher", 0, 1),
                new GroupState.Role("Student", 0, Integer.MAX_VALUE)));
    }

    @Test
    void aGroupWithChurnRemembersABoundedNumberOfDepartures() {
        GroupState s = classroom();
        int cycles = 3 * GroupState.DEPARTED_REMEMBERED;
        GroupState.Member first = null;
        for (int i = 0; i < cycles; i++) {
            GroupState.Joined j = s.join("req-" + i, "student-" + i, "Student", false, System.nanoTime());
            if (first == null) {
                first = j.member();
            }
            if (i % 2 == 0) {
                s.leave(j.member());
            } else {
                s.expire(Long.MIN_VALUE, Set.of(j.member().id));
            }
        }
        assertTrue(s.departedRemembered() <= 2 * GroupState.DEPARTED_REMEMBERED, "remembered "
                + s.departedRemembered());
        assertEquals(0, s.view().members().size());

        // the newest departures are still known: a retried join, a repeated leave
        int last = cycles - 1;
        GroupState.Joined again = s.earlierJoin("req-" + last);
        assertNotNull(again, "a recent join is still known to a retry");
        assertEquals("student-" + last, again.member().name);
        assertNull(again.change(), "a retry keeps the ticket, not the view change and its flushed payloads");
        assertTrue(s.departedWith(again.member().id, again.member().token));
        // the oldest are forgotten
        assertNull(s.earlierJoin("req-0"));
        assertFalse(s.departedWith(first.id, first.token));
    }

    @Test
    void aCurrentMembersJoinIsKeptHoweverManyOthersCameAndWent() {
        GroupState s = classroom();
        GroupState.Joined tess = s.join("tess", "Tess", "Teacher", false, System.nanoTime());
        for (int i = 0; i < 2 * GroupState.DEPARTED_REMEMBERED; i++) {
            s.leave(s.join("req-" + i, "s" + i, "Student", false, System.nanoTime()).member());
        }
        assertSame(tess.member(), s.earlierJoin("tess").member());
        assertEquals(List.of(tess.member()), s.view().members());
    }
}
