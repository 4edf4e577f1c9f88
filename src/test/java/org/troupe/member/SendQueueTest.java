package org.troupe.member;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.troupe.member.TestGroupsServer.messages;
import static org.troupe.member.TestGroupsServer.utf8;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.server.groups.GroupSettings;
import org.troupe.member.model.Received;

/**
 * A member's send queue against a real server over IIOP: large messages go in calls of at most
 * 1 MiB of payload, and the queue's octet bound lets every message through, in order.
 */
@Tag("integration")
class SendQueueTest {
    private static TestGroupsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestGroupsServer.start(new GroupSettings(100, 600, 1 << 20)); // the default payload limit
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static GroupSpec spec() {
        return GroupSpec.parse("bulk", "Peer:1:n", "Blob,Note");
    }

    @Test
    void largeMessagesGoInCallsOfAtMostOneMebibyte() throws Exception {
        Troupe t = server.connect();
        t.createGroup("large", spec());
        Group sender = t.join("large", "Peer", "big");
        Group reader = server.connect().join("large", "Peer", "reader");
        int n = 6;
        int size = 700 * 1024; // two of them pass 1 MiB: each call carries one
        // queued while the first call is in flight, so drained as one batch and cut into calls (on a
        // slow machine each might go alone anyway; CallSplitTest checks the cut itself)
        for (int i = 0; i < n; i++) {
            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) i);
            sender.send("Blob", payload);
        }
        List<Received> got = messages(reader, n);
        for (int i = 0; i < n; i++) {
            byte[] expected = new byte[size];
            Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, got.get(i).payload(), "message " + i + " whole and in order");
        }
        assertEquals(n, messages(sender, n).size(), "the sender delivers its own too");
        assertEquals(n, reader.channelStats().messageEvents("Blob"),
                "one channel event per send call: one call per message of 700 KiB");
        t.destroyGroup("large");
    }

    @Test
    void aOneOctetBoundStillSendsEveryMessageInOrder() throws Exception {
        Troupe t = server.connect();
        t.createGroup("narrow", spec());
        // every message costs at least one octet of the bound, a large one no more than all of it:
        // one message waits at a time, and a bound not given back would stop the second send
        Group sender = t.join("narrow", "Peer", "narrow", JoinOptions.defaults().sendQueueBytes(1));
        Group reader = server.connect().join("narrow", "Peer", "reader");
        int n = 300;
        for (int i = 0; i < n; i++) {
            sender.send("Note", utf8("note " + i));
        }
        List<Received> got = messages(reader, n);
        for (int i = 0; i < n; i++) {
            assertEquals("note " + i, got.get(i).text());
        }
        t.destroyGroup("narrow");
    }
}
