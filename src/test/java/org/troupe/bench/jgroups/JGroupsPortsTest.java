package org.troupe.bench.jgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The JGroups bench peer's ports: distinct, clear of each other's FD_SOCK2 ports and of the ephemeral range. */
@Tag("unit")
class JGroupsPortsTest {
    @Test
    void sixteenMembersGetDistinctPortsBelowTheEphemeralRange() throws Exception {
        JGroupsPorts ports = JGroupsPorts.pick(16);
        assertEquals(16, ports.tcp().size());
        Set<Integer> all = new HashSet<>(ports.tcp());
        assertEquals(16, all.size(), "one TCP port per member");
        for (int p : ports.tcp()) {
            assertTrue(p + ports.fdOffset() < Math.max(32768, JGroupsPorts.ephemeralLow()), "below the ephemeral range: " + p);
            assertFalse(ports.tcp().contains(p + ports.fdOffset()), "no FD_SOCK2 port is a member's TCP port");
            all.add(p + ports.fdOffset());
        }
        assertEquals(32, all.size(), "32 distinct ports in all");
        assertEquals(ports.tcp().size(), ports.portList().split(",").length);
    }
}
