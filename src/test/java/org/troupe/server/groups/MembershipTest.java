package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Membership without CORBA: what a group remembers of departed members, and for how long. */
@Tag("unit")
class MembershipTest {

    private static Membership classroom() {
        return new Membership(List.of(new Membership.RoleLimit("Teacher", 0, 1),
                new Membership.RoleLimit("Student", 0, Integer.MAX_VALUE)));
    }

    /** Joins as the core does: admitted, then a view, then the ticket remembered for a retry. */
    private static Membership.Member join(Membership s, String request, String name, String role) {
        Membership.Member m = s.admit(request, name, role, false, "token-" + request);
        View v = s.install(0);
        s.rememberJoin(m, new Ticket(m.info, m.token, v, 0, new int[0], false));
        return m;
    }

    @Test
    void aGroupWithChurnRemembersABoundedNumberOfDepartures() {
        Membership s = classroom();
        int cycles = 3 * Membership.DEPARTED_REMEMBERED;
        Membership.Member first = null;
        for (int i = 0; i < cycles; i++) {
            Membership.Member m = join(s, "req-" + i, "student-" + i, "Student");
            if (first == null) {
                first = m;
            }
            s.depart(m); // left or crashed: the same memory
            s.install(0);
        }
        assertTrue(s.departedRemembered() <= 2 * Membership.DEPARTED_REMEMBERED, "remembered "
                + s.departedRemembered());
        assertEquals(0, s.view().members().size());

        // the newest departures are still known: a retried join, a repeated leave
        int last = cycles - 1;
        Membership.Joined again = s.earlierJoin("req-" + last);
        assertNotNull(again, "a recent join is still known to a retry");
        assertEquals("student-" + last, again.member().name);
        assertTrue(s.departedWith(again.member().id, again.member().token));
        // the oldest are forgotten
        assertNull(s.earlierJoin("req-0"));
        assertFalse(s.departedWith(first.id, first.token));
    }

    @Test
    void aCurrentMembersJoinIsKeptHoweverManyOthersCameAndWent() {
        Membership s = classroom();
        Membership.Member tess = join(s, "tess", "Tess", "Teacher");
        for (int i = 0; i < 2 * Membership.DEPARTED_REMEMBERED; i++) {
            s.depart(join(s, "req-" + i, "s" + i, "Student"));
            s.install(0);
        }
        assertSame(tess, s.earlierJoin("tess").member());
        assertEquals(List.of(tess.info), s.view().members());
    }

    @Test
    void throughTheCoreARetriedJoinOfADepartedMemberIsGoneAndAForgottenOneIsNew() {
        GroupCore core = GroupCoreTest.classroomCore();
        int cycles = 2 * Membership.DEPARTED_REMEMBERED + 10;
        for (int i = 0; i < cycles; i++) {
            Ticket t = (Ticket) core.apply(new GroupCommand.Join("req-" + i, "s" + i, "Student", false, "t" + i, i))
                    .result();
            core.apply(new GroupCommand.Leave(t.member().id(), "t" + i, i));
        }
        assertTrue(core.departedRemembered() <= 2 * Membership.DEPARTED_REMEMBERED);
        Outcome recent = core.apply(new GroupCommand.Join("req-" + (cycles - 1), "s" + (cycles - 1), "Student",
                false, "x", cycles));
        assertInstanceOf(Refusal.Gone.class, recent.refusal(), "a retry of a recent join that has left");
        Outcome forgotten = core.apply(new GroupCommand.Join("req-0", "s0", "Student", false, "y", cycles));
        assertFalse(forgotten.refused());
        assertFalse(((Ticket) forgotten.result()).retried(), "a forgotten request id is a new join");
    }
}
