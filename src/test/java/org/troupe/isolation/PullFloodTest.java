package org.troupe.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omg.CORBA.Any;
import org.omg.CORBA.TRANSIENT;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPullSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.member.Troupe;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * 600 pull consumers of an idle channel each block in {@code pull()} and pull again as soon as
 * a pull ends, from another JVM than the server's: the server still answers {@code groups} and
 * takes a push within a second, and an idle {@code pull} ends after the pull time limit with
 * TRANSIENT (COMPLETED_NO: pull again).
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PullFloodTest {
    private static final int PULLERS = 600;

    @Test
    void blockedPullsDoNotStopTheServer() throws Exception {
        int port = JavaProcess.freePort();
        try (JavaProcess server = TroupeProcesses.startServer("server", port,
                List.of("--no-naming", "--pull-wait", "2000"));
                EventServiceClient attacker = EventServiceClient.connect("127.0.0.1:" + port);
                EventServiceClient client = EventServiceClient.connect("127.0.0.1:" + port)) {
            EventChannel idle = attacker.factory().create_channel("idle");
            List<ProxyPullSupplier> proxies = new ArrayList<>();
            for (int i = 0; i < PULLERS; i++) {
                ProxyPullSupplier p = idle.for_consumers().obtain_pull_supplier();
                try {
                    p.connect_pull_consumer(null);
                } catch (org.omg.CORBA.SystemException e) {
                    throw new AssertionError("connect #" + i + ": " + e + "\n" + server.stderr(), e);
                }
                proxies.add(p);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger transients = new AtomicInteger();
            AtomicInteger pulling = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(PULLERS);
            List<Thread> threads = new ArrayList<>();
            for (ProxyPullSupplier p : proxies) {
                Thread t = new Thread(null, () -> {
                    started.countDown();
                    while (!stop.get()) {
                        pulling.incrementAndGet();
                        try {
                            p.pull();
                        } catch (TRANSIENT e) {
                            transients.incrementAndGet();
                        } catch (Exception e) {
                            // the attacker pulls again, whatever happened
                        } finally {
                            pulling.decrementAndGet();
                        }
                    }
                }, "puller", 256 * 1024);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            try {
                assertTrue(started.await(30, TimeUnit.SECONDS));
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pulling.get() < PULLERS && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                Thread.sleep(1000); // the pulls reach the server and wait there (a settle time, not a condition)

                // a push to another channel, and a push on the pulled channel, answer at once
                EventChannel busy = client.factory().create_channel("busy");
                ProxyPushConsumer in = busy.for_suppliers().obtain_push_consumer();
                in.connect_push_supplier(null);
                ProxyPullSupplier out = busy.for_consumers().obtain_pull_supplier();
                out.connect_pull_consumer(null);
                Any a = client.orb().create_any();
                a.insert_string("through");
                long t0 = System.nanoTime();
                in.push(a);
                long pushMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals("through", out.pull().extract_string());
                long roundMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                long groupsMs;
                try (Troupe t = Troupe.connect("127.0.0.1:" + port)) {
                    long g0 = System.nanoTime();
                    t.groups();
                    groupsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - g0);
                }
                System.err.printf("pull-flood: %d pullers; push %d ms, push+pull %d ms, groups %d ms%n",
                        PULLERS, pushMs, roundMs, groupsMs);
                assertTrue(roundMs < 1000, "push and pull took " + roundMs + " ms");
                assertTrue(groupsMs < 1000, "groups took " + groupsMs + " ms");
                // idle pulls end with TRANSIENT after the time limit, and are pulled again
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (transients.get() < PULLERS && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(transients.get() >= PULLERS, "pulls ended with TRANSIENT: " + transients.get());
                assertTrue(server.isAlive(), server.describe());
            } finally {
                stop.set(true);
            }
        }
    }
}
