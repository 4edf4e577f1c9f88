package org.troupe.server.groups.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupsAdministratorHelper;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.JoinOptions;
import org.troupe.member.Troupe;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;
import org.troupe.server.groups.GroupSettings;

/**
 * Members that know every server of a cluster go on when the server that hosts their group stops:
 * they move to the new leader, resume from what they received and re-send what was not
 * acknowledged; each sees one sequence, the same at both, with nothing lost, nothing twice, and no
 * view change caused by the server.
 */
@Tag("integration")
class InJvmFailoverTest {

    @Test
    void membersGoOnWhenTheirGroupsLeaderStops(@TempDir Path data) throws Exception {
        try (InJvmCluster cluster = withGroup(data, "chat", "Host:0:1,Guest:0:n")) {
            int leader = cluster.leaderOf("chat");
            try (Troupe a = Troupe.connect(cluster.all()); Troupe b = Troupe.connect(cluster.all());
                    Group ann = a.join("chat", "Guest", "ann"); Group bob = b.join("chat", "Guest", "bob")) {
                int perSender = 600; // about 3 s of traffic: the leader stops in the middle
                Thread annSends = sender(ann, "a", perSender);
                Thread bobSends = sender(bob, "b", perSender);
                annSends.start();
                bobSends.start();
                Thread.sleep(1000);
                cluster.stop(leader); // mid-traffic
                annSends.join(60_000);
                bobSends.join(60_000);
                List<String> atAnn = received(ann, 2 * perSender);
                List<String> atBob = received(bob, 2 * perSender);
                assertEquals(atAnn, atBob, "one sequence at both");
                for (String who : List.of("ann", "bob")) {
                    List<String> own = atAnn.stream().filter(x -> x.startsWith(who + ":")).toList();
                    List<String> expected = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) {
                        expected.add(who + ":" + who.charAt(0) + i);
                    }
                    assertEquals(expected, own, "every message of " + who + ", once, in order");
                }
                assertTrue(cluster.leaderOf("chat") != leader, "a new leader");
            }
        }
    }

    @Test
    void membersThatHaveSentAndReceivedNoMessageMoveToo(@TempDir Path data) throws Exception {
        try (InJvmCluster cluster = withGroup(data, "quiet", "Guest:0:n")) {
            int leader = cluster.leaderOf("quiet");
            try (Troupe a = Troupe.connect(cluster.all()); Troupe b = Troupe.connect(cluster.all());
                    Group ann = a.join("quiet", "Guest", "ann"); Group bob = b.join("quiet", "Guest", "bob")) {
                // no message yet: what each has received is its views (bob, the last to join, only his own)
                awaitView(ann, 2);
                cluster.stop(leader);
                // both move (bob on his heartbeat, from the view that added him) and go on
                ann.send("Text", "after".getBytes(StandardCharsets.UTF_8));
                assertEquals(List.of("ann:after"), received(bob, 1));
                bob.send("Text", "back".getBytes(StandardCharsets.UTF_8));
                assertEquals(List.of("ann:after", "bob:back"), received(ann, 2));
                assertTrue(cluster.leaderOf("quiet") != leader, "a new leader");
            }
        }
    }

    @Test
    void aMemberTakenOverAtItsLastViewMovesToo(@TempDir Path data) throws Exception {
        try (InJvmCluster cluster = withGroup(data, "taken", "Guest:0:n")) {
            int leader = cluster.leaderOf("taken");
            String at = cluster.addresses.get(leader);
            try (Troupe a = Troupe.connect(cluster.all()); Troupe b = Troupe.connect(cluster.all());
                    EventServiceClient idl = EventServiceClient.connect(at); Group ann = a.join("taken", "Guest", "ann")) {
                // a member whose stack ran in another process (as a hosted member's, in a server that died)
                GroupManager g = GroupsAdministratorHelper.narrow(idl.orb().string_to_object(
                        "corbaloc:iiop:" + at + "/TroupeGroups")).find_group("taken");
                org.omg.CosEventComm.PushConsumer elsewhere = org.omg.CosEventComm.PushConsumerHelper.narrow(
                        idl.rootPoa().id_to_reference(idl.rootPoa().activate_object(new IgnoringConsumer())));
                JoinTicket t = g.join("ghost-1", "ghost", "Guest", elsewhere, false, true);
                awaitView(ann, 2);
                // taken over here from the view that added it: nothing ordered follows that view yet
                Group ghost = b.resume("taken", new MemberInfo(t.member, "ghost", "Guest"), t.token,
                        t.view_sequence_id, t.view_sequence_id, 1, JoinOptions.defaults());
                cluster.stop(leader);
                ann.send("Text", "after".getBytes(StandardCharsets.UTF_8));
                assertEquals(List.of("ann:after"), received(ghost, 1), "the taken-over member moved and goes on");
                ghost.send("Text", "back".getBytes(StandardCharsets.UTF_8));
                assertEquals(List.of("ann:after", "ghost:back"), received(ann, 2));
            }
        }
    }

    /** Three servers in this JVM and a group {@code name} of these roles (type Text), led by one of them. */
    private static InJvmCluster withGroup(Path data, String name, String roles) throws Exception {
        InJvmCluster cluster = InJvmCluster.start(3, data, new GroupSettings(200, 3000, 4096));
        try (Troupe admin = Troupe.connect(cluster.all())) {
            admin.createGroup(name, GroupSpec.parse(name, roles, "Text"));
            assertTrue(cluster.leaderOf(name) >= 0, "a leader for " + name);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** A push consumer that takes every event and does nothing with it. */
    private static final class IgnoringConsumer extends org.omg.CosEventComm.PushConsumerPOA {
        @Override
        public void push(org.omg.CORBA.Any data) {
        }

        @Override
        public void disconnect_push_consumer() {
        }
    }

    /** Waits until {@code g} has seen a view of {@code n} members. */
    private static void awaitView(Group g, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (g.view().members().size() < n) {
            assertTrue(System.nanoTime() < deadline, "a view of " + n + ": " + g.view());
            Delivery d = g.receive(Duration.ofMillis(200));
            if (d instanceof Received r) {
                throw new AssertionError("no message was sent yet: " + r);
            }
        }
    }

    private static Thread sender(Group g, String prefix, int n) {
        return new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    g.send("Text", (prefix + i).getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The next {@code n} messages as "sender:text"; fails on a view change with someone leaving. */
    private static List<String> received(Group g, int n) throws Exception {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            Delivery d = g.receive(Duration.ofSeconds(1));
            if (d instanceof Received r) {
                out.add(r.sender().name() + ":" + r.text());
            } else if (d instanceof ViewChange v) {
                assertTrue(v.left().isEmpty(), "no member removed: " + v);
            }
        }
        assertEquals(n, out.size(), "delivered: " + out.size());
        return out;
    }
}
