package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.idl.Groups.GroupInfo;

/**
 * A follower of a group's shard killed with SIGKILL while two members send: the traffic goes on
 * without it. Started again on its ports and data, it catches up: its copy lists the group with
 * the leader's view and count of sequenced messages. Then the leader is killed while the two
 * other members send: the restarted follower and the third server carry the group on (they are
 * the majority now), and every member delivers one sequence with every message once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("process")
class FollowerRestartProcessTest extends ClusterProcessTest {
    private static final int PER_SENDER = 300;

    @Test
    void aRestartedFollowerCatchesUpAndCarriesTheGroupWhenTheLeaderDies() throws Exception {
        servers = ClusterServers.start("followerrestart", data, 3);
        String group = "followerrestart";
        servers.createGroup(group, STUDENTS);
        Senders s = startSenders(group, List.of("ann", "bob", "cat", "dan"), PER_SENDER, 10);
        Member ann = s.members().get(0);

        // 1. ann and bob send; a follower is killed mid-traffic
        ann.command("SEND");
        s.members().get(1).command("SEND");
        ann.awaitMessages(PER_SENDER / 2, WAIT_MS);
        int leader = servers.leaderNow(0, group);
        int follower = (leader + 1) % 3;
        servers.signal(follower, "KILL");
        for (Member m : s.members().subList(0, 2)) {
            m.process().awaitLine(l -> l.equals("SENT"), "SENT", WAIT_MS);
        }
        for (Member m : s.members()) {
            m.awaitMessages(2 * PER_SENDER, WAIT_MS);
        }
        GroupInfo atLeader = servers.groupAt(leader, group);
        assertEquals(ClusterServers.id(leader), atLeader.leader, "the leader did not change when a follower died");

        // 2. the follower starts again on its ports and data, and catches up
        servers.restart(follower);
        long sequenced = atLeader.messages_sequenced;
        GroupInfo caughtUp = servers.awaitGroup(follower, group, g -> g.messages_sequenced == sequenced,
                "the leader's count of sequenced messages (" + sequenced + ")", WAIT_MS);
        assertEquals(atLeader.view.view_id, caughtUp.view.view_id, "the restarted follower's copy has the view");
        assertEquals(atLeader.views_installed, caughtUp.views_installed, "views installed, at the restarted follower");

        // 3. cat and dan send; the leader is killed mid-traffic: the restarted follower is needed
        s.members().get(2).command("SEND");
        s.members().get(3).command("SEND");
        ann.awaitMessages(2 * PER_SENDER + PER_SENDER / 2, WAIT_MS);
        int leaderNow = servers.leaderNow(follower, group);
        GroupInfo before = servers.groupAt(leaderNow, group);
        servers.signal(leaderNow, "KILL");
        int next = servers.awaitLeader(follower, group, x -> x != leaderNow, WAIT_MS);
        awaitAllDelivered(s, PER_SENDER);
        GroupInfo atNext = servers.groupAt(next, group);
        assertTrue(atNext.term > before.term, "a new term after the leader's kill: " + ClusterServers.describe(atNext));
        GroupInfo atFollower = servers.awaitGroup(follower, group,
                g -> g.messages_sequenced == atNext.messages_sequenced, "the same count as " + atNext.leader, WAIT_MS);
        System.err.printf("follower-restart: killed follower %s, restarted, caught up at %d messages; then killed"
                + " leader %s%s, new leader %s; the restarted follower lists %s%n", ClusterServers.id(follower),
                sequenced, ClusterServers.id(leaderNow), leaderNow == follower ? " (the restarted follower had"
                        + " taken the lead back)" : "", atNext.leader, ClusterServers.describe(atFollower));
        checkOneSequence(s, PER_SENDER);
    }
}
