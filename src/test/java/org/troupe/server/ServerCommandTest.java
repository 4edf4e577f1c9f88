package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.troupe.eventclient.ChannelSubscriber;
import org.troupe.eventclient.EventListener;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.idl.Events.ChannelInfo;

/** {@code troupe server}: start-up output, SIGTERM, and a port that is already taken. */
@Tag("process")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerCommandTest {

    @Test
    void startsOnChosenPortPrintsUrlsAndStopsCleanlyOnSigterm() throws Exception {
        int port = JavaProcess.freePort();
        String base = "corbaloc:iiop:127.0.0.1:" + port;
        try (JavaProcess server = JavaProcess.start("server", List.of("-Xmx256m", "-Dtroupe.log=INFO"),
                org.troupe.cli.TroupeCli.class, List.of("server", "--exit-with-parent", "--port", Integer.toString(port), "--channel", "boot"))) {
            server.awaitPrefix("troupe server ready on 127.0.0.1:" + port, TroupeProcesses.START_TIMEOUT_MS);
            server.awaitPrefix("Stop with", 5_000);
            List<String> out = server.lines();
            String all = String.join("\n", out) + "\n" + server.stderr();
            assertTrue(out.contains("  factory  " + base + "/TroupeEventChannelFactory"), all);
            assertTrue(out.stream().anyMatch(l -> l.startsWith("  naming   " + base + "/NameService")), all);
            assertTrue(out.stream().anyMatch(l -> l.contains("troupe/channels/NAME")), all);
            assertTrue(out.contains("  channel  " + base + "/Troupe/channels/NAME"), all);
            assertTrue(out.stream().anyMatch(l -> l.startsWith("  channel boot: " + base + "/Troupe/channels/boot")), all);

            // it serves on that port: the printed factory URL works, the --channel exists
            CountDownLatch told = new CountDownLatch(1);
            try (EventServiceClient client = EventServiceClient.connect(base)) {
                ChannelInfo[] channels = client.factory().list_channels();
                assertEquals(1, channels.length);
                assertEquals("boot", channels[0].name);

                // a connected consumer is told when the server shuts down
                EventChannel boot = client.channel("boot");
                EventListener listener = new EventListener() {
                    @Override
                    public void onEvent(org.omg.CORBA.Any event) {
                    }

                    @Override
                    public void onDisconnected() {
                        told.countDown();
                    }
                };
                ChannelSubscriber sub = ChannelSubscriber.connect(client.rootPoa(), boot, listener);
                assertEquals(1, client.factory().channel_info("boot").push_consumers);

                server.signal("TERM");
                int code = server.awaitExit(10_000);
                // SIGTERM runs the shutdown hook; the JVM then exits with 128 + 15
                assertTrue(code == 143 || code == 0, "exit code " + code + "\n" + server.describe());
                assertTrue(server.stderr().contains("troupe server stopped"),
                        "the shutdown hook must close the server\n" + server.describe());
                assertTrue(told.await(5, TimeUnit.SECONDS),
                        "a connected consumer must be told (disconnect_push_consumer) when the server stops");
                assertTrue(sub.disconnected());
            }
        }
        // the port is free again
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, s.getLocalPort());
        }
    }

    @Test
    void httpPortServesHealthAndATakenOneFailsWithClearError() throws Exception {
        int port = JavaProcess.freePort();
        int http = JavaProcess.freePort();
        try (JavaProcess server = JavaProcess.start("server", List.of("-Xmx256m"), org.troupe.cli.TroupeCli.class,
                List.of("server", "--exit-with-parent", "--port", Integer.toString(port), "--http-port",
                        Integer.toString(http)))) {
            server.awaitPrefix("troupe server ready on 127.0.0.1:" + port, TroupeProcesses.START_TIMEOUT_MS);
            server.awaitPrefix("Stop with", 5_000);
            assertTrue(server.lines().contains("  http     http://127.0.0.1:" + http
                    + "/   (metrics, healthz, readyz, api/groups, api/channels)"), server.describe());
            java.net.http.HttpResponse<String> ok = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + http + "/healthz"))
                            .timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("ok\n", ok.body());

            // a second server on another IIOP port but the same HTTP port: refused, naming the address
            TroupeProcesses.Result r = TroupeProcesses.run(30_000, "server", "--port",
                    Integer.toString(JavaProcess.freePort()), "--http-port", Integer.toString(http));
            assertEquals(1, r.exitCode(), r.describe());
            assertFalse(r.out().contains("troupe server ready"), r.describe());
            assertTrue(r.stderr().contains("troupe: cannot serve HTTP on 127.0.0.1:" + http + " (--http-port): "),
                    r.describe());
        }
    }

    @Test
    void portAlreadyTakenFailsFastWithClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            long t0 = System.nanoTime();
            TroupeProcesses.Result r = TroupeProcesses.run(30_000, "server", "--port", Integer.toString(port));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertNotEquals(0, r.exitCode(), r.describe());
            assertEquals(1, r.exitCode(), r.describe());
            assertFalse(r.out().contains("troupe server ready"), r.describe());
            assertTrue(r.stderr().contains("troupe: "), r.describe());
            assertTrue(r.stderr().contains(Integer.toString(port)), "the error must name the port\n" + r.describe());
            assertTrue(r.stderr().contains("Address already in use"), r.describe());
            assertTrue(ms < 20_000, "took " + ms + " ms");
        }
    }
}
