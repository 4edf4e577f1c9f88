package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.bench.ThrowAwayPki;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupManagerHelper;
import org.troupe.idl.Groups.GroupsAdministratorHelper;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.orb.EveryServerProfiles;
import org.troupe.orb.OrbFactory;
import org.troupe.orb.ServerAddress;
import org.troupe.tls.TlsProbes;

/**
 * Three TLS-only servers ({@code --tls} with {@code --peers}: IIOP over TLS, Raft over gRPC with
 * mutual TLS, logs on disk), three Java members each in its own JVM reaching them over TLS. The
 * leader of the group's shard is killed with SIGKILL while they send: the members move to the
 * new leader over TLS, and every member delivers one and the same sequence, each sender's
 * messages once, in order, all of them. No server speaks plaintext: a plain IIOP client is
 * refused on every IIOP port, and every Raft port cuts a plaintext gRPC client off. A group
 * manager's reference names every server with its TLS port, and a plain CORBA TLS client holding
 * the one the killed leader handed out still reaches the group.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
@Tag("process")
class TlsClusterProcessTest extends ClusterProcessTest {
    private static final int PER_SENDER = 300;

    @Test
    void tlsOnlyClusterKeepsOneSequenceAcrossTheLeadersKill() throws Exception {
        ThrowAwayPki pki = ThrowAwayPki.create(java.nio.file.Files.createDirectories(data.resolve("pki")));
        servers = ClusterServers.startTls("tlskill", data, 3, pki);
        String group = "tlskill";
        servers.createGroup(group, STUDENTS);

        for (int i = 0; i < 3; i++) {
            int k = i;
            TroupeException refused = assertThrows(TroupeException.class, () -> {
                try (Troupe plain = Troupe.connect(servers.address(k), null)) {
                    plain.groups();
                }
            }, "a plain IIOP client of " + ClusterServers.id(i));
            assertTrue(refused.getMessage().contains("requires TLS"), refused.getMessage());
            TlsProbes.assertPlaintextCutOff(servers.raftPort(i));
        }

        Senders s = startSenders(group, List.of("ann", "bob", "cat"), PER_SENDER, 25);
        int leader = servers.leaderNow(0, group);
        // a plain CORBA client's reference to the group's manager, as the leader hands it out
        try (Troupe client = Troupe.connect(servers.address(leader), servers.clientTls())) {
            GroupManager manager = GroupsAdministratorHelper.unchecked_narrow(client.orb().string_to_object(
                    ServerAddress.parse(servers.address(leader)).withTls(true).objectUrl(OrbFactory.GROUPS_KEY)))
                    .find_group(group);
            List<ServerAddress.Endpoint> named = EveryServerProfiles.tlsEndpoints(client.orb().object_to_string(manager));
            List<ServerAddress.Endpoint> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                expected.add(ServerAddress.parse(servers.address(i)).endpoints().get(0));
            }
            assertEquals(expected.get(leader), named.get(0), "the leader's own profile first: " + named);
            assertTrue(named.containsAll(expected) && named.size() == 3, "every server's TLS port: " + named);

            GroupInfo before = servers.groupAt(leader, group);
            try (DeliveryPauses pauses = DeliveryPauses.watch(s.members())) {
                send(s);
                s.members().get(0).awaitMessages(PER_SENDER, WAIT_MS); // mid-traffic
                servers.signal(leader, "KILL");
                long killed = System.nanoTime();
                int survivor = (leader + 1) % 3;
                int next = servers.awaitLeader(survivor, group, x -> x != leader, WAIT_MS);
                awaitAllDelivered(s, PER_SENDER);
                GroupInfo after = servers.groupAt(next, group);
                assertTrue(after.term > before.term, "the new leader's term " + after.term + " is above "
                        + before.term);
                System.err.printf("tls-leader-kill: killed %s (term %d), new leader %s (term %d); delivery pause %s%n",
                        ClusterServers.id(leader), before.term, after.leader, after.term, pauses.after(killed));
                for (DeliveryPauses.Pause p : pauses.after(killed)) {
                    assertTrue(p.firstAfterMillis() >= 0, "the kill came mid-traffic: " + p);
                }
            }
            // the reference the dead leader handed out: its next profiles lead, over TLS, to the new leader
            assertEquals(3, GroupManagerHelper.narrow(manager).current_view().members.length,
                    "the view of the three members, from the new leader");
        }
        checkOneSequence(s, PER_SENDER);
    }

    /**
     * A server that shows a certificate another authority signed (its trust store is the right
     * one) is refused by the two others over Raft: they form every Raft group and serve a group
     * without it, and it never learns a leader of any Raft group (its /readyz says so throughout).
     */
    @Test
    void aServerCertifiedByAnotherAuthorityIsNotAdmittedToTheRaftGroups() throws Exception {
        ThrowAwayPki pki = ThrowAwayPki.create(java.nio.file.Files.createDirectories(data.resolve("pki")));
        int[] http = new int[3];
        for (int i = 0; i < 3; i++) {
            http[i] = org.troupe.server.JavaProcess.freePort();
        }
        servers = ClusterServers.startTls("tlsoutsider", data, 3, pki,
                i -> i == 2 ? pki.outsiderKeystore : pki.serverKeystore,
                i -> List.of("--http-port", Integer.toString(http[i])));
        for (int i = 0; i < 2; i++) {
            awaitReadyz(http[i], "ready");
        }
        String two = servers.address(0) + "," + servers.address(1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        try (Troupe admin = Troupe.connect(two, servers.clientTls())) {
            while (true) {
                try {
                    admin.createGroup("outsider", STUDENTS);
                    break;
                } catch (TroupeException e) {
                    assertTrue(System.nanoTime() < deadline, "no group created through s1 and s2: " + e.getMessage());
                    Thread.sleep(200);
                }
            }
            assertTrue(java.util.Arrays.stream(admin.groups()).anyMatch(g -> g.name.equals("outsider")));
        }
        // ten seconds: many election time-outs, time enough to be told the log or to win a vote
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            String s3 = readyz(http[2]);
            assertTrue(s3.startsWith("503 not ready: Raft group"), "s3 was admitted: /readyz says " + s3);
            Thread.sleep(250);
        }
        assertEquals("200 ready", readyz(http[0]));
        TroupeException refused = assertThrows(TroupeException.class, () -> {
            try (Troupe t = Troupe.connect(servers.address(2), servers.clientTls())) {
                t.groups();
            }
        }, "a client of the test authority refuses s3's certificate");
        assertTrue(refused.getMessage().contains("not trusted"), refused.getMessage());
    }

    /** {@code CODE BODY} of GET /readyz on 127.0.0.1:port (body's first line). */
    private static String readyz(int port) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + port
                + "/readyz").openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        int code = c.getResponseCode();
        java.io.InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream();
        String body = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        return code + " " + body.lines().findFirst().orElse("");
    }

    private static void awaitReadyz(int port, String want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * WAIT_MS);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = readyz(port);
                if (last.equals("200 " + want)) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new java.util.concurrent.TimeoutException("/readyz on " + port + " still says " + last);
    }
}
