package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a group keeps of what it published, for a member that resumes on another server. */
@Tag("unit")
class EventHistoryTest {

    private static List<GroupEvent> run(GroupCore core, EventHistory history, List<GroupCommand> commands) {
        List<GroupEvent> all = new ArrayList<>();
        for (GroupCommand c : commands) {
            Outcome o = core.apply(c);
            history.add(o.events());
            all.addAll(o.events());
        }
        return all;
    }

    private static Envelope msg(long id) {
        return new Envelope(id, 0, Address.group(), "Question", new byte[100], true, new Ref(0, 0), false, 0);
    }

    @Test
    void aMemberGetsEverythingPublishedAfterTheEventThatCarriedWhatItLastReceived() {
        GroupCore core = GroupCoreTest.classroomCore();
        EventHistory history = new EventHistory(1000, 1 << 20);
        List<GroupCommand> commands = new ArrayList<>();
        commands.add(new GroupCommand.Join("t", "Tess", "Teacher", false, "tt", 0));
        commands.add(new GroupCommand.Join("v", "Vic", "Student", true, "vt", 0)); // a member sequencer
        for (int i = 1; i <= 10; i++) {
            commands.add(new GroupCommand.Send(1, "tt", List.of(msg(i)), 0));
        }
        commands.add(new GroupCommand.Order(2, "vt", List.of(new Ref(1, 1), new Ref(1, 2)), 0)); // seqs 3, 4
        commands.add(new GroupCommand.Order(2, "vt", List.of(new Ref(1, 3)), 0)); // seq 5
        commands.add(new GroupCommand.Leave(2, "vt", 0)); // flush: seqs 6..12, view at 13
        List<GroupEvent> all = run(core, history, commands);
        // received up to seq 4 (the first Orders event): everything after that event
        List<GroupEvent> tail = history.after(4);
        int at = all.indexOf(all.stream().filter(e -> e instanceof GroupEvent.Orders o
                && o.orders().get(0).sequenceId() == 3).findFirst().orElseThrow());
        assertEquals(all.subList(at + 1, all.size()), tail);
        assertEquals(all.subList(at + 1, all.size()), history.after(3), "any sequence id of the event");
        assertTrue(history.after(13).isEmpty(), "received the last: nothing more");
        assertNull(history.after(14), "more than this server applied");
    }

    @Test
    void tooFarBehindIsNullNeverAGap() {
        GroupCore core = GroupCoreTest.classroomCore();
        EventHistory history = new EventHistory(8, 1 << 20);
        List<GroupCommand> commands = new ArrayList<>();
        commands.add(new GroupCommand.Join("t", "Tess", "Teacher", false, "tt", 0));
        for (int i = 1; i <= 20; i++) {
            commands.add(new GroupCommand.Send(1, "tt", List.of(msg(i)), 0)); // Messages + Orders each
        }
        run(core, history, commands);
        assertEquals(8, history.size());
        assertNull(history.after(1), "the join's view is gone");
        assertNull(history.after(16), "its event went");
        assertEquals(4, history.after(19).size(), "after message 18's order (seq 19): messages 19 and 20 with their orders");
    }

    @Test
    void boundedInOctets() {
        GroupCore core = GroupCoreTest.classroomCore();
        EventHistory history = new EventHistory(100_000, 10_000);
        List<GroupCommand> commands = new ArrayList<>();
        commands.add(new GroupCommand.Join("t", "Tess", "Teacher", false, "tt", 0));
        for (int i = 1; i <= 500; i++) {
            commands.add(new GroupCommand.Send(1, "tt", List.of(msg(i)), 0));
        }
        run(core, history, commands);
        assertTrue(history.size() < 200, "held " + history.size());
    }
}
