package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.idl.Groups.GroupInfo;

/**
 * A group's leader paused with SIGSTOP, while four members send, for longer than the election
 * time-out, than the members' suspect time, and than the time a new leader waits for the members
 * of before (a frozen VM, a long GC pause), then resumed with SIGCONT: another server leads
 * meanwhile, and the members move to it by themselves although their calls to the old one neither
 * fail nor return; the old leader's terms are over, so what it still publishes cannot conflict
 * with the new leader; it steps down, decides nothing about the members, and no longer hosts the
 * group (its manager forwards calls); every member delivers one gap-free sequence with every
 * message once, and nobody is removed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag("process")
class PausedLeaderProcessTest extends ClusterProcessTest {
    private static final int PER_SENDER = 400;
    /**
     * Longer than the election time-out (at most 600 ms), the suspect time (2.5 s) and a new
     * leader's grace for the members it takes over (twice the suspect time).
     */
    private static final long PAUSE_MS = 8000;

    @Test
    void aPausedLeaderStepsDownAndPublishesNothingThatConflicts() throws Exception {
        servers = ClusterServers.start("pausedleader", data, 3);
        String group = "pausedleader";
        servers.createGroup(group, STUDENTS);
        Senders s = startSenders(group, List.of("ann", "bob", "cat", "dan"), PER_SENDER, 10);
        int old;
        GroupInfo before;
        GroupInfo during;
        long stopped;
        try (DeliveryPauses pauses = DeliveryPauses.watch(s.members())) {
            send(s);
            s.members().get(0).awaitMessages(PER_SENDER, WAIT_MS);
            old = servers.leaderNow(0, group);
            before = servers.groupAt(old, group);
            servers.signal(old, "STOP");
            stopped = System.nanoTime();
            int asker = (old + 1) % 3;
            try {
                during = servers.awaitGroup(asker, group, g -> !g.leader.isEmpty()
                        && !g.leader.equals(ClusterServers.id(old)), "a leader other than the paused one", WAIT_MS);
                long left = PAUSE_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
                if (left > 0) {
                    Thread.sleep(left); // the pause itself: the test's subject, not a wait for a condition
                }
            } finally {
                servers.signal(old, "CONT");
            }
            long resumedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            GroupInfo stepped = servers.awaitGroup(old, group, g -> !g.leader.isEmpty()
                    && !g.leader.equals(ClusterServers.id(old)), "the old leader stepping down", WAIT_MS);
            assertTrue(stepped.term > before.term, "the old leader knows the new term: " + ClusterServers.describe(
                    stepped));
            assertTrue(ForwardProbe.forwards(servers.address(old), group), "the old leader "
                    + ClusterServers.id(old) + " still hosts group " + group + " (it answered a call itself)");
            awaitAllDelivered(s, PER_SENDER);
            GroupInfo leaderInfo = servers.groupAt(ClusterServers.index(stepped.leader), group);
            GroupInfo oldInfo = servers.awaitGroup(old, group, g -> g.messages_sequenced
                    == leaderInfo.messages_sequenced, "the leader's count of sequenced messages", WAIT_MS);
            assertEquals(leaderInfo.view.view_id, oldInfo.view.view_id, "the old leader's copy has the view");
            assertFalse(ForwardProbe.forwards(servers.address(ClusterServers.index(leaderInfo.leader)), group),
                    "the new leader serves calls itself");
            System.err.printf("paused-leader: paused %s (term %d) for %d ms; %s led meanwhile (term %d); after"
                    + " SIGCONT it lists leader %s term %d; delivery pause %s%n", ClusterServers.id(old), before.term,
                    resumedAfter, during.leader, during.term, stepped.leader, stepped.term, pauses.after(stopped));
        }
        checkOneSequence(s, PER_SENDER);
    }
}
