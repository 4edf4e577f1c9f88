package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.PatternSpec;
import org.troupe.idl.Groups.RoleSpec;
import org.troupe.member.process.Member.Line;
import org.troupe.protocol.ProtocolLoader;

/**
 * The whole cluster killed with SIGKILL and started again on the same ports and data: every
 * group is there, with its protocol (roles, types, patterns) and its counters, on every server;
 * the members of before, whose processes died with the servers, are removed as crashed once the
 * new leader has given them their suspect time; members that come back join again under the same
 * names and exchange messages, the group's sequence going on from where it was.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("process")
class ClusterRestartProcessTest extends ClusterProcessTest {
    private static final int PER_SENDER = 20;

    @Test
    void groupsAndProtocolsSurviveARestartOfEveryServerAndMembersJoinAgain() throws Exception {
        servers = ClusterServers.start("restart", data, 3, "--heartbeat", "200", "--suspect", "1500");
        servers.createGroup("chat", STUDENTS);
        servers.createGroup("lesson", ProtocolLoader.loadBundled("tele-teaching"));

        // before: ann and bob talk in chat
        List<Member> before = List.of(chatter("ann"), chatter("bob"));
        exchange(before);
        Map<String, GroupInfo> listed = listing(0);
        assertEquals(2, listed.get("chat").view.members.length, "ann and bob in chat");
        assertEquals(2L * PER_SENDER, listed.get("chat").messages_sequenced);
        long lastSeq = before.get(0).deliveries().get(before.get(0).deliveries().size() - 1).seq();

        // every process dies: the members, then the three servers; the servers start again
        for (Member m : before) {
            m.process().signal("KILL");
            m.process().awaitExit(10_000);
        }
        for (int i = 0; i < 3; i++) {
            servers.signal(i, "KILL");
        }
        long restartAt = System.nanoTime();
        servers.restart(0, 1, 2);
        servers.awaitServed("chat");
        servers.awaitServed("lesson");
        long servedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartAt);

        // every server lists both groups, with their protocols and counters
        for (int i = 0; i < 3; i++) {
            Map<String, GroupInfo> again = listing(i);
            assertEquals(listed.keySet(), again.keySet(), ClusterServers.id(i) + " lists the groups of before");
            for (String g : listed.keySet()) {
                sameProtocol(ClusterServers.id(i) + ": " + g, listed.get(g).descriptor, again.get(g).descriptor);
                assertEquals(listed.get(g).messages_sequenced, again.get(g).messages_sequenced, ClusterServers.id(i)
                        + ": " + g + ": messages sequenced before the restart");
                assertTrue(again.get(g).views_installed >= listed.get(g).views_installed, ClusterServers.id(i) + ": "
                        + g + ": views installed");
                assertTrue(!again.get(g).leader.isEmpty(), ClusterServers.id(i) + ": " + g + " has a leader");
            }
        }

        // the members of before are removed as crashed; then ann and bob join again and talk
        GroupInfo emptied = servers.awaitGroup(0, "chat", g -> g.view.members.length == 0,
                "the members of before removed", WAIT_MS);
        List<Member> after = List.of(chatter("ann"), chatter("bob"));
        exchange(after);
        for (Member m : after) {
            Line first = m.deliveries().get(0);
            assertTrue(first.seq() > lastSeq, m + ": the sequence goes on after the restart (it delivered up to "
                    + lastSeq + " before; its first line now is '" + first + "')");
        }

        // the lesson's protocol is in force: the Teacher's Formulas reach the Student
        Member tess = servers.member("lesson", "Teacher", "tess", "--type", "Formula", "--send", "3");
        Member sam = servers.member("lesson", "Student", "sam");
        tess.awaitJoined(WAIT_MS);
        sam.awaitJoined(WAIT_MS);
        sam.awaitDelivery(v -> v.isView() && v.members().size() == 2, "the view of tess and sam", WAIT_MS);
        tess.command("SEND");
        sam.awaitMessage("tess:3", WAIT_MS);
        assertEquals(List.of("tess:1", "tess:2", "tess:3"), sam.deliveries().stream().filter(Line::isMessage)
                .map(Line::text).toList(), "sam delivers the Teacher's Formulas");
        System.err.printf("cluster-restart: every group served %d ms after the restart began; the old members"
                + " removed (%s); ann and bob joined again from sequence id %d%n", servedMs,
                ClusterServers.describe(emptied), after.get(0).deliveries().get(0).seq());
    }

    private Member chatter(String name) throws Exception {
        return servers.member("chat", "Student", name, "--send", Integer.toString(PER_SENDER));
    }

    /** The members join, see each other, send, and each delivers all their messages in one order. */
    private void exchange(List<Member> members) throws Exception {
        Map<Long, String> names = new LinkedHashMap<>();
        for (Member m : members) {
            names.put(m.awaitJoined(WAIT_MS), m.name());
        }
        Line full = null;
        for (Member m : members) {
            full = m.awaitDelivery(v -> v.isView() && v.members().containsAll(names.keySet()), "the view of all",
                    WAIT_MS);
        }
        Senders s = new Senders(members, names, full);
        send(s);
        awaitAllDelivered(s, PER_SENDER);
        checkOneSequence(s, PER_SENDER);
    }

    private Map<String, GroupInfo> listing(int server) throws Exception {
        Map<String, GroupInfo> out = new LinkedHashMap<>();
        for (GroupInfo g : servers.groupsAt(server)) {
            out.put(g.name, g);
        }
        assertNotNull(out.get("chat"), ClusterServers.id(server) + " lists chat");
        return out;
    }

    private static void sameProtocol(String what, GroupDescriptor expected, GroupDescriptor actual) {
        assertEquals(expected.protocol, actual.protocol, what + ": protocol");
        assertEquals(roles(expected), roles(actual), what + ": roles");
        assertEquals(List.of(expected.message_types), List.of(actual.message_types), what + ": message types");
        assertEquals(patterns(expected), patterns(actual), what + ": patterns");
        assertEquals(expected.implied_order, actual.implied_order, what + ": implied order");
    }

    private static List<String> roles(GroupDescriptor d) {
        List<String> out = new ArrayList<>();
        for (RoleSpec r : d.roles) {
            out.add(r.name + ":" + Integer.toUnsignedString(r.min) + ":" + Integer.toUnsignedString(r.max));
        }
        return out;
    }

    private static List<String> patterns(GroupDescriptor d) {
        List<String> out = new ArrayList<>();
        for (PatternSpec p : d.patterns) {
            StringBuilder b = new StringBuilder(String.valueOf(p.kind.value()));
            for (var step : p.steps) {
                b.append(' ').append(step.message_type).append('/').append(step.role).append('>')
                        .append(String.join("+", step.receivers)).append(' ').append(Integer.toUnsignedString(step.min))
                        .append("..").append(step.max_role.isEmpty() ? Integer.toUnsignedString(step.max)
                                : "#" + step.max_role).append(" t=").append(step.timeout_ms).append(" answers=")
                        .append(step.answers);
            }
            out.add(b.toString());
        }
        return out;
    }
}
