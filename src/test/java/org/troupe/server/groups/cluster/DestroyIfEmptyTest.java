package org.troupe.server.groups.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.groups.GroupCommand;
import org.troupe.server.groups.GroupCore;

/**
 * The removal a server asks for a group it found empty for too long is decided when the entry is
 * applied, on every copy alike: a join committed between the check and the removal keeps the group.
 */
@Tag("unit")
class DestroyIfEmptyTest {
    private static ReplicatedGroup group() throws Exception {
        org.troupe.protocol.ApplicationProtocol teaching = ProtocolLoader.loadBundled("tele-teaching");
        return new ReplicatedGroup("lesson", (name, descriptor, maxPayload) -> new GroupCore(name, teaching, true,
                maxPayload), (group, host) -> { }, 1024, 1 << 20);
    }

    @Test
    void aJoinAppliedBeforeTheRemovalKeepsTheGroup() throws Exception {
        ReplicatedGroup g = group();
        g.apply(1, 1, GroupWire.create(new byte[] {1}, 1 << 20));
        g.apply(2, 1, GroupWire.command(new GroupCommand.Join("r1", "Tess", "Teacher", false, "token-1", 0)));

        assertFalse(GroupWire.yes(g.apply(3, 1, GroupWire.destroyIfEmpty())), "a group with a member stays");
        assertTrue(g.exists());

        g.apply(4, 1, GroupWire.command(new GroupCommand.Leave(1, "token-1", 0)));
        assertTrue(GroupWire.yes(g.apply(5, 1, GroupWire.destroyIfEmpty())), "an empty group goes");
        assertFalse(g.exists());
        assertFalse(GroupWire.yes(g.apply(6, 1, GroupWire.destroyIfEmpty())), "and only once");
    }
}
