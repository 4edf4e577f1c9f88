package org.troupe.server.groups.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.server.events.ChannelSettings;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.member.model.Delivery;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.server.ClusterSettings;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import org.troupe.server.groups.GroupSettings;

/**
 * Three servers in one JVM (each its own ORB and Raft server, on 127.0.0.1): a group created
 * through one is found and listed through every one, with its leader; members that reach the
 * group through any server are forwarded to its leader and see one sequence.
 */
@Tag("integration")
class ClusterGroupsTest {
    private static final List<TroupeServer> SERVERS = new ArrayList<>();
    private static final List<String> ADDRESSES = new ArrayList<>();

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        int[] ports = new int[3];
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            ports[i] = JavaProcess.freePort();
            int raft = JavaProcess.freePort();
            peers.append(i == 0 ? "" : ",").append("s").append(i + 1).append("=127.0.0.1:").append(ports[i])
                    .append(':').append(raft);
            ADDRESSES.add("127.0.0.1:" + ports[i]);
        }
        List<Thread> starting = new ArrayList<>();
        TroupeServer[] started = new TroupeServer[3];
        Exception[] failed = new Exception[1];
        for (int i = 0; i < 3; i++) {
            int n = i;
            ClusterSettings c = ClusterSettings.parse("s" + (n + 1), peers.toString(), data.resolve("s" + (n + 1)));
            Thread t = new Thread(() -> {
                try {
                    started[n] = TroupeServer.start(new ServerSettings("127.0.0.1", ports[n], true,
                            ChannelSettings.defaults(), new GroupSettings(100, 1500, 4096), c));
                } catch (Exception e) {
                    failed[0] = e;
                }
            });
            starting.add(t);
            t.start();
        }
        for (Thread t : starting) {
            t.join(120_000);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        SERVERS.addAll(List.of(started));
        for (TroupeServer s : SERVERS) {
            s.cluster().awaitLeaders(Duration.ofSeconds(60));
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(TroupeServer::close);
    }

    @Test
    void aGroupCreatedThroughOneServerIsFoundThroughEveryOneAndItsMembersMeetAtItsLeader() throws Exception {
        try (Troupe admin = Troupe.connect(ADDRESSES.get(0))) {
            admin.createGroup("class-1", GroupSpec.parse("chat", "Host:0:1,Guest:0:n", "Text"));
            TroupeException again = assertThrows(TroupeException.class,
                    () -> admin.createGroup("class-1", GroupSpec.parse("chat", "Host:0:1,Guest:0:n", "Text")));
            assertTrue(again.getMessage().contains("exists"), again.getMessage());
        }
        for (String address : ADDRESSES) {
            try (Troupe t = Troupe.connect(address)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                // its copy applies the creation; a leader is known once elected (none for a moment
                // while Ratis hands the shard to its preferred server, soon after the start)
                while ((t.groups().length == 0 || t.groups()[0].leader.isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                GroupInfo[] all = t.groups();
                assertEquals(1, all.length, "listed through " + address);
                assertEquals("class-1", all[0].name);
                assertFalse(all[0].leader.isEmpty(), "a leader is known");
                assertTrue(all[0].term > 0);
            }
        }
        // members through different servers: the calls reach the group's leader
        try (Troupe a = Troupe.connect(ADDRESSES.get(1)); Troupe b = Troupe.connect(ADDRESSES.get(2));
                Group ann = a.join("class-1", "Guest", "ann"); Group bob = b.join("class-1", "Guest", "bob")) {
            for (int i = 0; i < 20; i++) {
                ann.send("Text", ("a" + i).getBytes(StandardCharsets.UTF_8));
                bob.send("Text", ("b" + i).getBytes(StandardCharsets.UTF_8));
            }
            List<String> atAnn = texts(ann, 40);
            List<String> atBob = texts(bob, 40);
            assertEquals(atAnn, atBob, "one sequence everywhere");
        }
        try (Troupe admin = Troupe.connect(ADDRESSES.get(2))) {
            admin.destroyGroup("class-1");
        }
        for (String address : ADDRESSES) { // each server applies the destruction as the log reaches it
            try (Troupe t = Troupe.connect(address)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (t.groups().length != 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, t.groups().length, "destroyed everywhere: " + address);
            }
        }
    }

    private static List<String> texts(Group g, int n) throws Exception {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            Delivery d = g.receive(Duration.ofSeconds(1));
            if (d instanceof org.troupe.member.model.Received r) {
                out.add(r.sender().name() + ":" + r.text());
            }
        }
        assertNotNull(out);
        assertEquals(n, out.size(), "delivered: " + out);
        return out;
    }
}
