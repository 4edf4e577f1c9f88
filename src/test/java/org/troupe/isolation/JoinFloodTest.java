package org.troupe.isolation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupsAdministratorHelper;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.ViewChange;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * For five seconds a client sends up to 170 joins a second to a group, each naming a consumer at
 * a black-holed address (a port whose accept queue is full: a connect to it hangs until its
 * time-out), from another JVM than the server's. A real member of the group keeps heartbeating
 * meanwhile: it is never removed, and {@code groups} still answers within a second.
 *
 * <p>Such joins must stay refused (the consumer cannot be reached): a server that let them in
 * without reaching the consumer would fill the group with members whose queues never drain, and
 * the real member would be removed (seen when the reachability check was skipped).
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JoinFloodTest {
    private static final int RATE_PER_SECOND = 170;
    private static final long FLOOD_MILLIS = 5_000;

    @Test
    void joinsNamingAnUnreachableConsumerDoNotStarveHeartbeats() throws Exception {
        int port = JavaProcess.freePort();
        List<Socket> fillers = new ArrayList<>();
        try (JavaProcess server = TroupeProcesses.startServer("server", port, List.of("--no-naming"));
                ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Troupe real = Troupe.connect("127.0.0.1:" + port);
                EventServiceClient attacker = EventServiceClient.connect("127.0.0.1:" + port)) {
            // fill the black hole's accept queue: further connects to it hang
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), blackhole.getLocalPort()), 200);
                    fillers.add(s);
                } catch (java.io.IOException e) {
                    s.close();
                    break;
                }
            }
            real.createGroup("flooded", GroupSpec.parse("chat", "Member:0:n", "Text"));
            Group member = real.join("flooded", "Member", "real");
            long me = member.me().id();

            GroupManager manager = GroupsAdministratorHelper.narrow(attacker.orb().string_to_object(
                    "corbaloc:iiop:127.0.0.1:" + port + "/TroupeGroups")).find_group("flooded");
            PushConsumer unreachable = PushConsumerHelper.unchecked_narrow(attacker.orb().string_to_object(
                    "corbaloc:iiop:127.0.0.1:" + blackhole.getLocalPort() + "/consumer"));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong next = new AtomicLong();
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            AtomicLong joinNanos = new AtomicLong();
            long start = System.nanoTime();
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
            List<Thread> flood = new ArrayList<>();
            for (int t = 0; t < 600; t++) {
                Thread th = new Thread(null, () -> {
                    while (!stop.get()) {
                        long k = next.getAndIncrement();
                        long due = start + k * intervalNanos;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait); // the flood's pace
                        }
                        if (stop.get() || System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(FLOOD_MILLIS)) {
                            return;
                        }
                        sent.incrementAndGet();
                        long j0 = System.nanoTime();
                        try {
                            manager.join("flood-" + k, "fake-" + k, "Member", unreachable, false, false);
                        } catch (Exception e) {
                            // refused or failed: the attacker goes on
                        } finally {
                            answered.incrementAndGet();
                            joinNanos.addAndGet(System.nanoTime() - j0);
                        }
                    }
                }, "join-flood", 256 * 1024);
                th.setDaemon(true);
                th.start();
                flood.add(th);
            }
            long groupsMs = -1;
            try {
                Thread.sleep(FLOOD_MILLIS / 2); // mid-flood (a point in time, not a condition)
                long g0 = System.nanoTime();
                real.groups();
                groupsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - g0);
                for (Thread th : flood) {
                    th.join(TimeUnit.SECONDS.toMillis(30));
                }
            } finally {
                stop.set(true);
            }
            // the real member stays in every view it receives, until the fakes are all gone
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int views = 0;
            while (System.nanoTime() < deadline) {
                Delivery d = member.receive(java.time.Duration.ofMillis(500));
                if (d instanceof ViewChange v) {
                    views++;
                    assertTrue(v.view().members().stream().anyMatch(m -> m.id() == me),
                            "the real member was removed: " + v.view());
                    if (v.view().members().size() == 1) {
                        break;
                    }
                }
                assertFalse(member.isClosed(), "the real member was removed: " + member.closedReason());
            }
            System.err.printf("join-flood: %d joins sent, %d answered in %d ms on average; groups took %d ms mid-flood;"
                    + " the real member saw %d views and stayed%n", sent.get(), answered.get(),
                    answered.get() == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(joinNanos.get() / answered.get()), groupsMs,
                    views);
            assertFalse(member.isClosed(), "the real member was removed: " + member.closedReason());
            assertTrue(member.view().members().stream().anyMatch(m -> m.id() == me), member.view().toString());
            assertTrue(groupsMs >= 0 && groupsMs < 2000, "groups took " + groupsMs + " ms mid-flood");
            assertTrue(server.isAlive(), server.describe());
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }
}
