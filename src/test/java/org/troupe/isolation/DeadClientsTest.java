package org.troupe.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.conformance.client.StandardClient;
import org.troupe.idl.Events.ChannelInfo;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * Dead clients are found and disposed within the documented bound (silent 5 s, then two probes
 * 1 s apart that cannot reach them: 7 s, here allowed 20 s), and a pull supplier is pulled only
 * while someone would take its events. Every client is a standard CosEvent client
 * ({@link StandardClient}) in its own JVM, killed with SIGKILL.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeadClientsTest {
    /** The documented bound (7 s after the last sign of life) with room for a loaded machine. */
    private static final long FOUND_WITHIN_MS = 20_000;
    private final List<JavaProcess> started = new ArrayList<>();
    private JavaProcess server;
    private String base;
    private EventServiceClient admin;

    @BeforeAll
    void startServer() throws Exception {
        int port = JavaProcess.freePort();
        base = "corbaloc:iiop:127.0.0.1:" + port;
        server = TroupeProcesses.startServer("server", port, List.of());
        admin = EventServiceClient.connect(base);
    }

    @AfterAll
    void stopServer() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void stopClients() {
        started.forEach(JavaProcess::close);
        started.clear();
    }

    private String channel(String name) throws Exception {
        admin.factory().create_channel(name);
        return base + "/Troupe/channels/" + name;
    }

    private JavaProcess client(String role, String url, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(role, url));
        args.addAll(List.of(extra));
        JavaProcess p = JavaProcess.start(role, TroupeProcesses.JVM_ARGS, StandardClient.class, args);
        started.add(p);
        if (role.equals("push-consumer")) {
            p.send("CONNECT");
        }
        p.awaitNext("CONNECTED", TroupeProcesses.START_TIMEOUT_MS);
        return p;
    }

    private ChannelInfo awaitInfo(String name, Predicate<ChannelInfo> ok, long withinMs, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
        ChannelInfo i = admin.factory().channel_info(name);
        while (!ok.test(i)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + withinMs + " ms: " + what + " (push-sup=" + i.push_suppliers
                        + " pull-sup=" + i.pull_suppliers + " push-con=" + i.push_consumers + " pull-con="
                        + i.pull_consumers + " in=" + i.events_in + ")\n" + server.describe());
            }
            Thread.sleep(50); // polling the server's counters: no event to wait on from outside
            i = admin.factory().channel_info(name);
        }
        return i;
    }

    private static long field(String line, String name) {
        for (String part : line.split("\\s+")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in " + line);
    }

    @Test
    void aKilledPushSupplierIsDisposed() throws Exception {
        String url = channel("dead-push-supplier");
        JavaProcess s = client("push-supplier", url);
        s.send("PUSH 1");
        s.awaitNext("PUSHED", 10_000);
        awaitInfo("dead-push-supplier", i -> i.push_suppliers == 1, 10_000, "the supplier connected");
        s.signal("KILL");
        s.awaitExit(10_000);
        long t0 = System.nanoTime();
        awaitInfo("dead-push-supplier", i -> i.push_suppliers == 0, FOUND_WITHIN_MS, "the dead push supplier disposed");
        System.out.println("dead push supplier disposed " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                + " ms after it was killed");
    }

    @Test
    void aPullConsumerKilledInsidePullIsDisposed() throws Exception {
        String url = channel("dead-pull-consumer");
        JavaProcess c = client("pull-consumer", url);
        awaitInfo("dead-pull-consumer", i -> i.pull_consumers == 1, 10_000, "the consumer connected");
        c.signal("KILL"); // blocked in pull()
        c.awaitExit(10_000);
        long t0 = System.nanoTime();
        ChannelInfo i = awaitInfo("dead-pull-consumer", x -> x.pull_consumers == 0, FOUND_WITHIN_MS,
                "the dead pull consumer disposed");
        System.out.println("dead pull consumer disposed " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                + " ms after it was killed");
        assertEquals(1, i.consumers_evicted, "a dead consumer is counted as cut off");
    }

    @Test
    void aPullSupplierIsPulledOnlyWhileSomeoneTakesItsEvents() throws Exception {
        String url = channel("pulled");
        JavaProcess s = client("pull-supplier", url);
        awaitInfo("pulled", i -> i.pull_suppliers == 1, 10_000, "the pull supplier connected");
        s.send("REPORT");
        long before = field(s.awaitNext("REPORT", 10_000), "try_pulls");
        // proving that nothing happens takes time: one second without a consumer
        Thread.sleep(1000);
        s.send("REPORT");
        long idle = field(s.awaitNext("REPORT", 10_000), "try_pulls") - before;
        assertEquals(0, idle, "try_pull calls in 1 s with no consumer connected");
        assertEquals(0, admin.factory().channel_info("pulled").events_in);

        // a slow consumer (2 ms per event): the supplier is pulled at its pace, not flat out
        JavaProcess c = client("push-consumer", url, "2");
        c.send("AWAIT 1000 30000");
        String awaited = c.awaitNext("AWAITED", 35_000);
        assertTrue(awaited.contains("ok=true"), awaited);
        s.send("REPORT");
        long pulled = field(s.awaitNext("REPORT", 10_000), "try_pulls") - before;
        c.send("REPORT");
        long received = field(c.awaitNext("REPORT", 10_000), "received");
        // what it took, plus the flow watermark (2048) and some batches of 512 (one queued over the
        // watermark, one in the dispatcher's hands, one being pulled, and one per moment the
        // consumer looked stalled on a loaded machine); flat out it would be its whole queue, 65536
        assertTrue(pulled <= received + 2048 + 8 * 512, "pulled " + pulled + " events for a consumer that took "
                + received);
    }
}
