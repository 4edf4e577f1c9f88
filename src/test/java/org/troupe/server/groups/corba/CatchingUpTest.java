package org.troupe.server.groups.corba;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.server.cluster.RaftGroupStatus;

/**
 * A cluster server answers "retry" (TRANSIENT), not "no such group", for a name it does not know
 * while its shard may still hold that group's creation: no leader known yet, leading without
 * having applied its predecessors' entries, or applied less than is committed.
 */
@Tag("unit")
class CatchingUpTest {
    private static RaftGroupStatus shard(String leader, boolean localLeader, long commit, long applied) {
        return new RaftGroupStatus("shard-1", "uuid", leader, 3, commit, applied, localLeader, "s1", 0);
    }

    @Test
    void noLeaderKnownYetIsCatchingUp() {
        assertTrue(GroupDirectory.catchingUp(shard(null, false, -1, -1), "s1"));
    }

    @Test
    void appliedBehindCommittedIsCatchingUp() {
        assertTrue(GroupDirectory.catchingUp(shard("s2", false, 40, 12), "s1"));
    }

    @Test
    void leadingButNotReadyIsCatchingUp() {
        assertTrue(GroupDirectory.catchingUp(shard("s1", false, 40, 40), "s1"));
    }

    @Test
    void aFollowerOrLeaderThatAppliedAllThatIsCommittedKnowsItsGroups() {
        assertFalse(GroupDirectory.catchingUp(shard("s2", false, 40, 40), "s1"));
        assertFalse(GroupDirectory.catchingUp(shard("s1", true, 40, 40), "s1"));
    }
}
