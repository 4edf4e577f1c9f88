package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A core counts what it applied for operators: messages sent and their octets (a retried send
 * counted once, a refused one not at all), and removals by the class of their reason.
 */
@Tag("unit")
class GroupTrafficTest {
    private static final long MS = 1_000_000L;

    private static Envelope msg(long id, int octets) {
        return new Envelope(id, 0, Address.group(), "Question", new byte[octets], true, new Ref(0, 0), false, 0);
    }

    private static Ticket join(GroupCore core, String name, String role, boolean volunteer) {
        Outcome o = core.apply(new GroupCommand.Join("r-" + name, name, role, volunteer, "token-" + name, 0));
        assertNull(o.refusal());
        return (Ticket) o.result();
    }

    @Test
    void countsMessagesOctetsRemovalsByReasonAndHandOvers() {
        GroupCore core = GroupCoreTest.classroomCore();
        Liveness live = new Liveness(600);
        Ticket tess = join(core, "Tess", "Teacher", false);
        Ticket sam = join(core, "Sam", "Student", false);
        Ticket ann = join(core, "Ann", "Student", false);
        Ticket cid = join(core, "Cid", "Student", false);
        Ticket vic = join(core, "Vic", "Student", true);

        core.apply(new GroupCommand.Send(tess.member().id(), tess.token(), List.of(msg(1, 10), msg(2, 5)), 0));
        core.apply(new GroupCommand.Send(tess.member().id(), tess.token(), List.of(msg(2, 5), msg(3, 7)), 0));
        core.apply(new GroupCommand.Send(tess.member().id(), "wrong token", List.of(msg(4, 100)), 0));
        assertEquals(3, core.traffic().messagesSent(), "a retried message counts once, a refused one not");
        assertEquals(22, core.traffic().payloadBytes());

        // Sam is silent; Vic holds the sequencer and orders nothing; Cid's consumer is cut off; Ann leaves
        live.follow(core.memberTokens(), core.view().id(), 0);
        for (Ticket t : List.of(tess, ann, cid, vic)) {
            live.heard(t.member().id(), t.token(), 650 * MS);
        }
        live.cutOff(() -> cid.member().id(), "queue full", 100 * MS);
        core.apply(new GroupCommand.Send(tess.member().id(), tess.token(), List.of(msg(4, 1)), 10 * MS));
        core.apply(new GroupCommand.Remove(live.decide(700 * MS, core), 700 * MS));
        core.apply(new GroupCommand.Leave(ann.member().id(), ann.token(), 700 * MS));
        core.apply(new GroupCommand.Leave(ann.member().id(), ann.token(), 700 * MS)); // retried: no second count

        GroupTraffic t = core.traffic();
        assertEquals(2, t.sequencerHandOvers(), "to Vic when he joined, back to the server when he went");
        assertEquals(1, t.removed(RemovalReason.SILENT));
        assertEquals(1, t.removed(RemovalReason.CUT_OFF));
        assertEquals(1, t.removed(RemovalReason.SEQUENCER_STALLED));
        assertEquals(1, t.removed(RemovalReason.LEFT));
        assertEquals(0, t.removed(RemovalReason.OTHER));
        assertEquals(List.of("Tess"), core.view().members().stream().map(MemberInfo::name).toList());
    }
}
