package org.troupe.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.troupe.eventclient.ChannelPublisher;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.conformance.client.StandardClient;
import org.troupe.idl.Events.ChannelInfo;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * Disconnect means no more events, a consumer cut off while stopped is told once it answers, and
 * {@code delivered} counts only pushes that returned: checked against a real server with a push
 * consumer built only from the standard OMG stubs ({@link StandardClient}), in a JVM of its own,
 * that uses the standard {@code push} (one event per call).
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DisconnectSemanticsTest {
    private static final long WAIT_MS = 20_000;
    private final List<JavaProcess> started = new ArrayList<>();
    private JavaProcess server;
    private String base;
    private EventServiceClient admin;

    @BeforeAll
    void startServer() throws Exception {
        int port = JavaProcess.freePort();
        base = "corbaloc:iiop:127.0.0.1:" + port;
        // a short reply time-out: a stopped consumer is found out within 1.5 s
        server = TroupeProcesses.startServer("server", port, List.of("--reply-timeout", "1500"));
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
    void stopClients() throws Exception {
        for (JavaProcess p : started) {
            if (p.isAlive()) {
                p.signal("CONT");
            }
            p.close();
        }
        started.clear();
    }

    private String channel(String name) throws Exception {
        admin.factory().create_channel(name);
        return base + "/Troupe/channels/" + name;
    }

    private JavaProcess consumer(String url) throws Exception {
        JavaProcess p = JavaProcess.start("consumer", TroupeProcesses.JVM_ARGS, StandardClient.class,
                List.of("push-consumer", url));
        started.add(p);
        return p;
    }

    private static String command(JavaProcess p, String line, String reply) throws Exception {
        p.send(line);
        return p.awaitNext(reply, WAIT_MS);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String part : line.split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    private ChannelInfo awaitInfo(String name, Predicate<ChannelInfo> ok, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        ChannelInfo i = admin.factory().channel_info(name);
        while (!ok.test(i)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT_MS + " ms for " + what + "; last: in=" + i.events_in
                        + " delivered=" + i.events_delivered + " dropped=" + i.events_dropped + " evicted="
                        + i.consumers_evicted + " push-con=" + i.push_consumers);
            }
            Thread.sleep(20); // polling the server's counters: no event to wait on from outside
            i = admin.factory().channel_info(name);
        }
        return i;
    }

    @Test
    void aConsumerReceivesNothingAfterItsOwnDisconnectReturned() throws Exception {
        String url = channel("own-disconnect");
        try (EventStream stream = new EventStream(url)) {
            JavaProcess c = consumer(url);
            for (int round = 0; round < 8; round++) {
                command(c, "CONNECT", "CONNECTED");
                String got = command(c, "AWAIT 300 " + WAIT_MS, "AWAITED");
                assertEquals("true", fields(got).get("ok"), got + "\n" + c.describe());
                command(c, "DISCONNECT", "DISCONNECTED");
            }
            assertEquals("true", fields(command(c, "QUIET 300", "QUIET")).get("ok"), c.describe());
            Map<String, String> r = fields(command(c, "REPORT", "REPORT"));
            assertEquals("0", r.get("late"), "events pushed after disconnect_push_supplier returned: " + r);
        }
    }

    @Test
    void aConsumerReceivesNothingAfterItWasToldOfDestroy() throws Exception {
        String url = channel("told-of-destroy");
        JavaProcess c = consumer(url);
        try (EventStream stream = new EventStream(url)) {
            command(c, "CONNECT", "CONNECTED");
            command(c, "AWAIT 300 " + WAIT_MS, "AWAITED");
            // paused while the supplier goes on: a backlog builds up in its queue
            c.signal("STOP");
            long in = admin.factory().channel_info("told-of-destroy").events_in;
            awaitInfo("told-of-destroy", i -> i.events_in >= in + 2000, "2000 events queued for the paused consumer");
            c.signal("CONT");
            command(c, "AWAIT 400 " + WAIT_MS, "AWAITED"); // it takes events again
            admin.factory().destroy_channel("told-of-destroy");
            c.awaitNext("TOLD", WAIT_MS);
            assertEquals("true", fields(command(c, "QUIET 300", "QUIET")).get("ok"), c.describe());
            Map<String, String> r = fields(command(c, "REPORT", "REPORT"));
            assertEquals("0", r.get("after_told"), "events pushed after disconnect_push_consumer: " + r);
        }
    }

    @Test
    void aConsumerCutOffWhileStoppedIsToldOnceItAnswers() throws Exception {
        String url = channel("stopped");
        JavaProcess c = consumer(url);
        // a slow stream (about 200 events/s): its queue cannot fill; it is cut off because a push
        // to it outlived the reply time-out, which tells the channel nothing about when it returns
        try (EventStream stream = new EventStream(url, 5)) {
            command(c, "CONNECT", "CONNECTED");
            command(c, "AWAIT 300 " + WAIT_MS, "AWAITED");
            c.signal("STOP");
            awaitInfo("stopped", i -> i.consumers_evicted == 1 && i.push_consumers == 0,
                    "the stopped consumer cut off (its push outlived the reply time-out)");
            c.signal("CONT");
            c.awaitNext("TOLD", WAIT_MS); // told once it answers again
            assertEquals("true", fields(command(c, "QUIET 300", "QUIET")).get("ok"), c.describe());
            Map<String, String> r = fields(command(c, "REPORT", "REPORT"));
            assertEquals("0", r.get("after_told"), "events pushed after disconnect_push_consumer: " + r);
        }
    }

    @Test
    void deliveredCountsOnlyPushesThatReturned() throws Exception {
        String url = channel("counted");
        JavaProcess c = consumer(url);
        command(c, "CONNECT", "CONNECTED");
        awaitInfo("counted", i -> i.push_consumers == 1, "the consumer connected");
        c.signal("KILL");
        c.awaitExit(WAIT_MS);
        try (EventServiceClient supplier = EventServiceClient.withoutServer();
                ChannelPublisher pub = ChannelPublisher.connect(supplier.orb(),
                        org.omg.CosEventChannelAdmin.EventChannelHelper.narrow(supplier.orb().string_to_object(url)))) {
            for (int i = 0; i < 10; i++) {
                org.omg.CORBA.Any a = supplier.orb().create_any();
                a.insert_string("to a dead consumer " + i);
                pub.publish(a, WAIT_MS);
            }
            pub.flush(WAIT_MS);
        }
        ChannelInfo i = awaitInfo("counted", x -> x.consumers_evicted == 1, "the dead consumer cut off");
        assertEquals(10, i.events_in);
        assertEquals(0, i.events_delivered, "no push to the dead consumer returned");
        assertTrue(i.events_dropped >= 1, "the events of the failed push are dropped: " + i.events_dropped);
    }
}
