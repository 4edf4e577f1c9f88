package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.idl.Groups.GroupInfo;

/**
 * A group's leader killed with SIGKILL while four members, each its own JVM given the three
 * servers, send: a new leader takes over, the members move to it by themselves, and every
 * member delivers one and the same sequence, each sender's messages once and in order, every
 * one of them (the resends included), with no member removed. Prints the delivery pause each
 * member saw.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag("process")
class LeaderKillProcessTest extends ClusterProcessTest {
    private static final int PER_SENDER = 400;

    @Test
    void membersDeliverOneSequenceAcrossTheLeadersKill() throws Exception {
        servers = ClusterServers.start("leaderkill", data, 3);
        String group = "leaderkill";
        servers.createGroup(group, STUDENTS);
        Senders s = startSenders(group, List.of("ann", "bob", "cat", "dan"), PER_SENDER, 10);
        try (DeliveryPauses pauses = DeliveryPauses.watch(s.members())) {
            send(s);
            // mid-traffic: a quarter of the messages delivered
            s.members().get(0).awaitMessages(PER_SENDER, WAIT_MS);
            int leader = servers.leaderNow(0, group);
            GroupInfo before = servers.groupAt(leader, group);
            servers.signal(leader, "KILL");
            long killed = System.nanoTime();
            int survivor = (leader + 1) % 3;
            int next = servers.awaitLeader(survivor, group, x -> x != leader, WAIT_MS);
            awaitAllDelivered(s, PER_SENDER);
            GroupInfo after = servers.groupAt(next, group);
            assertTrue(after.term > before.term, "the new leader's term " + after.term + " is above "
                    + before.term);
            System.err.printf("leader-kill: killed %s (term %d), new leader %s (term %d); delivery pause %s%n",
                    ClusterServers.id(leader), before.term, after.leader, after.term, pauses.after(killed));
        }
        checkOneSequence(s, PER_SENDER);
    }
}
