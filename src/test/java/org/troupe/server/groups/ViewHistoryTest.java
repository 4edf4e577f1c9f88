package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A core keeps its latest view changes for operators, each member's part named: joined, left,
 * crashed (silent, or cut off as unreachable) or removed (cut off as too slow, a stalled
 * sequencer), with the server's words; at most {@link ViewHistory#CAPACITY} changes.
 */
@Tag("unit")
class ViewHistoryTest {
    private static final long MS = 1_000_000L;

    private static Ticket join(GroupCore core, String name, String role, boolean volunteer) {
        Outcome o = core.apply(new GroupCommand.Join("r-" + name, name, role, volunteer, "token-" + name, 0));
        assertNull(o.refusal());
        return (Ticket) o.result();
    }

    @Test
    void everyChangeWithItsCause() {
        GroupCore core = GroupCoreTest.classroomCore();
        Liveness live = new Liveness(600);
        Ticket tess = join(core, "Tess", "Teacher", false);
        Ticket sam = join(core, "Sam", "Student", false);
        Ticket ann = join(core, "Ann", "Student", false);
        Ticket cid = join(core, "Cid", "Student", false);
        Ticket dee = join(core, "Dee", "Student", false);
        live.follow(core.memberTokens(), core.view().id(), 0);
        for (Ticket t : List.of(tess, ann, cid, dee)) {
            live.heard(t.member().id(), t.token(), 650 * MS);
        }
        // Sam is silent; Cid's consumer could not be reached; Dee's queue filled up
        live.cutOff(() -> cid.member().id(), "found dead: COMM_FAILURE", 100 * MS);
        live.cutOff(() -> dee.member().id(), "queue full (64 events): consumer too slow or stopped", 100 * MS);
        long before = System.currentTimeMillis();
        core.apply(new GroupCommand.Remove(live.decide(700 * MS, core), 700 * MS));
        core.apply(new GroupCommand.Leave(ann.member().id(), ann.token(), 700 * MS));

        List<ViewHistory.ViewChange> h = core.history().recent();
        assertEquals(7, h.size(), h.toString());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), h.stream().map(ViewHistory.ViewChange::view).toList());
        assertEquals(new ViewHistory.Change(tess.member(), ViewHistory.Cause.JOINED, null), h.get(0).changes().get(0));
        Map<String, ViewHistory.Change> removal = h.get(5).changes().stream()
                .collect(Collectors.toMap(c -> c.member().name(), c -> c));
        assertEquals(ViewHistory.Cause.CRASHED, removal.get("Sam").cause());
        assertEquals("silent for more than 600 ms", removal.get("Sam").why());
        assertEquals(ViewHistory.Cause.CRASHED, removal.get("Cid").cause());
        assertEquals("its channel cut it off (found dead: COMM_FAILURE)", removal.get("Cid").why());
        assertEquals(ViewHistory.Cause.REMOVED, removal.get("Dee").cause());
        assertTrue(removal.get("Dee").why().contains("queue full"), removal.get("Dee").why());
        assertEquals(List.of(new ViewHistory.Change(ann.member(), ViewHistory.Cause.LEFT, null)), h.get(6).changes());
        assertTrue(h.get(6).epochMillis() >= before, "stamped with the wall clock when applied");
        assertEquals("crashed", ViewHistory.Cause.CRASHED.label());
        assertEquals(ViewHistory.Cause.REMOVED, ViewHistory.Cause.ofRemoval(RemovalReason.SEQUENCER_STALLED,
                "it holds the sequencer but left a message unordered for more than 600 ms"));
    }

    @Test
    void keepsTheLatestChangesOnly() {
        GroupCore core = GroupCoreTest.classroomCore();
        join(core, "Tess", "Teacher", false);
        for (int i = 0; i < ViewHistory.CAPACITY; i++) {
            Ticket t = join(core, "S" + i, "Student", false);
            core.apply(new GroupCommand.Leave(t.member().id(), t.token(), 0));
        }
        List<ViewHistory.ViewChange> h = core.history().recent();
        assertEquals(ViewHistory.CAPACITY, h.size());
        assertEquals(core.view().id(), h.get(h.size() - 1).view(), "the newest last");
        assertEquals(core.view().id() - ViewHistory.CAPACITY + 1, h.get(0).view(), "the oldest went");
    }
}
