package org.troupe.server.groups.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.groups.GroupCommand;
import org.troupe.server.groups.GroupCore;
import org.troupe.server.groups.Outcome;
import org.troupe.server.groups.OutcomeCodec;
import org.troupe.server.groups.Ticket;

/**
 * A removal is a decision of the group's leader, stamped with the term in which it led. A
 * deposed leader (cut off from the others, not stopped) keeps deciding; its submitter resends
 * such a decision to whichever server leads now, which appends it in a later term: every copy
 * of the group then refuses it alike, and the member stays. A decision appended in the term it
 * was made in is applied.
 */
@Tag("unit")
class DeposedLeaderDecisionTest {
    private static final long NOW = 1_000_000_000L;
    private long index;

    private ReplicatedGroup group() throws Exception {
        org.troupe.protocol.ApplicationProtocol teaching = ProtocolLoader.loadBundled("tele-teaching");
        ReplicatedGroup g = new ReplicatedGroup("lesson", (name, descriptor, maxPayload) -> new GroupCore(name,
                teaching, true, maxPayload), (group, host) -> { }, 1024, 1 << 20);
        g.apply(++index, 3, GroupWire.create(new byte[] {1}, 1 << 20));
        return g;
    }

    private Ticket join(ReplicatedGroup g, long term, String name, String role) {
        Outcome o = OutcomeCodec.decode(g.apply(++index, term, GroupWire.command(new GroupCommand.Join("r-" + name,
                name, role, false, "token-" + name, NOW))));
        assertNull(o.refusal(), () -> "join refused: " + o.refusal());
        return (Ticket) o.result();
    }

    private static GroupCommand.Remove removal(Ticket t) {
        return new GroupCommand.Remove(List.of(new GroupCommand.Removal(t.member().id(), "silent for 2500 ms")), NOW);
    }

    private static int members(ReplicatedGroup g) {
        return g.read(core -> core.view().members().size());
    }

    @Test
    void aRemovalDecidedInAnEarlierTermIsRefusedEverywhere() throws Exception {
        ReplicatedGroup g = group();
        join(g, 3, "tess", "Teacher");
        Ticket ann = join(g, 3, "ann", "Student");
        assertEquals(2, members(g));

        // decided by the leader of term 3, appended by the leader of term 4
        Outcome stale = OutcomeCodec.decode(g.apply(++index, 4, GroupWire.decision(removal(ann), 3)));
        assertEquals(List.of(), stale.result());
        assertEquals(List.of(), stale.events());
        assertEquals(2, members(g), "ann stays: the leader of term 4 judges her silence itself");

        // the same decision made in term 4 and appended in term 4
        Outcome applied = OutcomeCodec.decode(g.apply(++index, 4, GroupWire.decision(removal(ann), 4)));
        assertEquals(1, ((List<?>) applied.result()).size(), "ann removed: " + applied);
        assertEquals(1, members(g));
    }

    @Test
    void aDecisionAndAPlainCommandTravelIntact() {
        GroupCommand.Remove r = new GroupCommand.Remove(List.of(new GroupCommand.Removal(7, "cut off")), NOW);
        GroupWire.Decoded d = GroupWire.decode(GroupWire.decision(r, 0x0102030405060708L));
        assertEquals(GroupWire.Kind.DECISION, d.kind());
        assertEquals(0x0102030405060708L, d.decidedIn());
        assertEquals(r, d.command());
        GroupWire.Decoded c = GroupWire.decode(GroupWire.command(r));
        assertEquals(GroupWire.Kind.COMMAND, c.kind());
        assertEquals(0, c.decidedIn());
    }
}
