package org.troupe.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.TestGroupsServer.utf8;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.events.QueuePolicy;
import org.troupe.server.groups.GroupSettings;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/**
 * A member whose consumer the group's channel cuts off (here: a push that outlives the server's
 * reply time-out because the member's application stopped taking deliveries) would otherwise
 * stay in the view and silently miss every later message. It must leave the view at once, at
 * every other member, and be told on its own side.
 */
@Tag("integration")
class ChannelCutOffTest {

    @Test
    void aMemberCutOffByTheChannelLeavesTheViewAndIsTold() throws Exception {
        ChannelSettings d = ChannelSettings.defaults();
        // pushes time out after 300 ms; the suspect time (20 s) is far beyond the test's waits, so
        // only the cut-off can remove the member in time
        ChannelSettings channels = new ChannelSettings(d.queueCapacity(), QueuePolicy.DISCONNECT, d.flowWatermark(),
                d.stallMillis(), d.flowTimeoutMillis(), d.batchMax(), d.pullIntervalMaxMillis(), 300);
        try (TestGroupsServer server = TestGroupsServer.start(channels, new GroupSettings(100, 20_000, 4096))) {
            Troupe t = server.connect();
            t.createGroup("cut", GroupSpec.parse("cut", "Teacher:1:1,Student:0:n", "Question,Answer"));
            Group tess = t.join("cut", "Teacher", "Tess");

            CountDownLatch firstMessage = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<String> closedWith = new AtomicReference<>();
            CountDownLatch closed = new CountDownLatch(1);
            // one delivery at a time, and a listener that stops on its first message: the member's
            // ORB thread then waits in the full delivery queue (10 s) and the server's push times out
            Group ann = server.connect().join("cut", "Student", "Ann", JoinOptions.defaults()
                    .deliveryQueue(1, 10_000)
                    .listener(new GroupListener() {
                        @Override
                        public void onMessage(Received m) {
                            firstMessage.countDown();
                            try {
                                release.await(8, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }

                        @Override
                        public void onClosed(String reason) {
                            closedWith.set(reason);
                            closed.countDown();
                        }
                    }));
            long annId = ann.me().id();
            awaitView(tess, v -> v.view().member(annId) != null);

            for (int i = 0; i < 5; i++) {
                tess.send("Question", utf8("q" + i));
            }
            assertTrue(firstMessage.await(10, TimeUnit.SECONDS), "Ann got nothing");
            long t0 = System.nanoTime();
            ViewChange without = awaitView(tess, v -> v.removed(annId));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(tookMs < 5_000, "removed after " + tookMs + " ms");
            assertEquals(List.of("Tess"), without.view().members().stream().map(MemberInfo::name).toList());

            release.countDown();
            assertTrue(closed.await(10, TimeUnit.SECONDS), "Ann was not told");
            assertTrue(closedWith.get().contains("removed from group cut"), closedWith.get());

            // the group goes on
            Group bob = server.connect().join("cut", "Student", "Bob");
            tess.send("Question", utf8("still here"));
            assertEquals("still here", TestGroupsServer.messages(bob, 1).get(0).text());
        }
    }

    @Test
    void aServerWithShortChannelQueuesStillTakesAMembersFullSendCalls() throws Exception {
        ChannelSettings d = ChannelSettings.defaults();
        // public channels hold 100 events per consumer; a group's channel still holds two of the
        // largest send calls, so a member's batches of 128 are taken, not refused
        ChannelSettings channels = new ChannelSettings(100, QueuePolicy.DISCONNECT, 50, d.stallMillis(),
                d.flowTimeoutMillis(), d.batchMax(), d.pullIntervalMaxMillis(), d.replyTimeoutMillis());
        try (TestGroupsServer server = TestGroupsServer.start(channels, new GroupSettings(100, 2_000, 4096))) {
            Troupe t = server.connect();
            t.createGroup("short", GroupSpec.parse("short", "Teacher:1:1,Student:0:n", "Question,Answer"));
            Group tess = t.join("short", "Teacher", "Tess");
            Group ann = server.connect().join("short", "Student", "Ann");
            int n = 2000;
            for (int i = 0; i < n; i++) {
                tess.send("Question", utf8("q" + i));
            }
            List<Received> got = TestGroupsServer.messages(ann, n);
            assertEquals("q0", got.get(0).text());
            assertEquals("q" + (n - 1), got.get(n - 1).text());
            assertTrue(!tess.isClosed(), "Tess failed: " + tess.closedReason());
        }
    }

    private static ViewChange awaitView(Group g, java.util.function.Predicate<ViewChange> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            assertTrue(left > 0, "no such view within 10 s");
            Delivery d = g.receive(Duration.ofMillis(left));
            assertNotNull(d, "no such view within 10 s");
            if (d instanceof ViewChange v && wanted.test(v)) {
                return v;
            }
        }
    }
}
