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
    private static final int PER_SENDER = 200;

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

        Senders s = startSenders(group, List.of("ann", "bob", "cat"), PER_SENDER, 10);
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

            try (DeliveryPauses pauses = DeliveryPauses.watch(s.members())) {
                send(s);
                s.members().get(0).awaitMessages(PER_SENDER, WAIT_MS); // mid-traffic
                GroupInfo before = servers.groupAt(leader, group);
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
            }
            // the reference the dead leader handed out: its next profiles lead, over TLS, to the new leader
            assertEquals(3, GroupManagerHelper.narrow(manager).current_view().members.length,
                    "the view of the three members, from the new leader");
        }
        checkOneSequence(s, PER_SENDER);
    }
}
