package org.troupe.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.server.ops.TroupeMetricsTest.sample;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupManagerHelper;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;

/**
 * The operations endpoint of a real server (JacORB over IIOP, members with their own ORBs, HTTP
 * on 127.0.0.1 and a free port): after two members join and send, and a third that never
 * heartbeats is removed, {@code /metrics} shows the group's members, views, messages sequenced,
 * the silent removal and its channel's deliveries; {@code /healthz}, {@code /readyz} and the
 * JSON pages answer.
 */
@Tag("integration")
class OpsEndpointTest {
    private static TroupeServer server;
    private static String http;
    private static String iiop;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        server = TroupeServer.start(new ServerSettings("127.0.0.1", port, true, ChannelSettings.defaults(),
                new GroupSettings(100, 600, 4096)).withHttpPort(-1));
        assertTrue(server.httpPort() > 0, "listens on a free port");
        http = "http://127.0.0.1:" + server.httpPort();
        iiop = "127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(http + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Scrapes /metrics until {@code ok} holds (10 s at most); returns the last scrape. */
    static String metricsWhen(Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String s;
        do {
            HttpResponse<String> r = get("/metrics");
            assertEquals(200, r.statusCode(), r.body());
            s = r.body();
            if (ok.test(s)) {
                return s;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return s;
    }

    @Test
    void metricsHealthReadinessAndJsonOfALiveGroup() throws Exception {
        try (Troupe a = Troupe.connect(iiop); Troupe b = Troupe.connect(iiop)) {
            a.createGroup("ops", GroupSpec.parse("tele-teaching", "Teacher:1:1,Student:1:n", "Question,Answer"));
            Group tess = a.join("ops", "Teacher", "Tess");
            Group ann = b.join("ops", "Student", "Ann");
            // a third member that never heartbeats: the server removes it as silent
            GroupManager manager = GroupManagerHelper.narrow(a.orb().string_to_object(
                    "corbaloc:iiop:" + iiop + "/Troupe/groups/ops"));
            manager.join("sam-1", "Sam", "Student", null, false, false);
            for (int i = 0; i < 20; i++) {
                tess.send("Question", ("q" + i).getBytes(StandardCharsets.UTF_8));
                ann.send("Answer", ("a" + i).getBytes(StandardCharsets.UTF_8));
            }

            String g = "group=\"ops\"";
            String s = metricsWhen(x -> sample(x, "troupe_group_messages_sequenced_total", g) >= 40
                    && sample(x, "troupe_group_members_removed_total", g, "reason=\"silent\"") == 1.0
                    && sample(x, "troupe_channel_events_delivered_total", "channel=\"group.ops\"") > 0);
            assertEquals(1.0, sample(s, "troupe_groups"), s);
            assertEquals(2.0, sample(s, "troupe_group_members", g), s);
            assertTrue(sample(s, "troupe_group_views_total", g) >= 4, s); // Tess, Ann, Sam in; Sam out
            assertEquals(40.0, sample(s, "troupe_group_messages_sequenced_total", g), s);
            assertEquals(40.0, sample(s, "troupe_group_messages_sent_total", g), s);
            assertTrue(sample(s, "troupe_group_payload_bytes_total", g) >= 40 * 2, s);
            assertEquals(1.0, sample(s, "troupe_group_members_removed_total", g, "reason=\"silent\""), s);
            // events, not messages: a group's channel carries messages and their order in lists
            assertTrue(sample(s, "troupe_channel_events_delivered_total", "channel=\"group.ops\"",
                    "kind=\"group\"") > 0, s);
            assertTrue(!s.contains("troupe_cluster_"), "no cluster meters on a server on its own");
            assertEquals(2.0, sample(s, "troupe_channel_consumers", "channel=\"group.ops\""), s);
            assertTrue(s.contains("# TYPE troupe_group_views_total counter"), s);
            assertTrue(!s.matches("(?s).*channel=\"group\\.ops\\.[0-9a-f]{32}\".*"), "a group channel's secret name never shows");

            HttpResponse<String> health = get("/healthz");
            assertEquals(200, health.statusCode());
            assertEquals("ok", health.body().strip());
            HttpResponse<String> ready = get("/readyz");
            assertEquals(200, ready.statusCode(), ready.body());

            HttpResponse<String> groups = get("/api/groups");
            assertEquals(200, groups.statusCode());
            assertTrue(groups.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            String j = groups.body();
            assertTrue(j.startsWith("{\"groups\":[{\"name\":\"ops\",\"protocol\":\"tele-teaching\",\"view\":"), j);
            assertTrue(j.contains("\"name\":\"Tess\",\"role\":\"Teacher\""), j);
            assertTrue(j.contains("\"name\":\"Ann\",\"role\":\"Student\""), j);
            assertTrue(!j.contains("\"Sam\""), j);
            assertTrue(j.contains("\"complete\":true,\"sequencer\":0,\"messages_sequenced\":40,\"messages_sent\":40"), j);
            assertTrue(j.contains("\"views\":4,\"open_queries\":0,\"queries_timed_out\":0,\"sequencer_handovers\":0"), j);
            assertTrue(j.contains("\"removed\":{\"silent\":1,\"cut_off\":0,\"sequencer_stalled\":0,\"left\":0,\"other\":0}"), j);
            assertTrue(!j.contains("\"leader\""), "no leader on a server on its own: " + j);

            HttpResponse<String> channels = get("/api/channels");
            assertEquals(200, channels.statusCode());
            assertTrue(channels.body().contains("{\"name\":\"group.ops\",\"kind\":\"group\",\"consumers\":2,"),
                    channels.body());

            assertEquals(404, get("/nope").statusCode());
            HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(http + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            tess.leave();
            ann.leave();
            a.destroyGroup("ops");
        }
    }

    @Test
    void aFailingPageAnswers500InOneLineAndTheEndpointGoesOn() throws Exception {
        TroupeMetricsTest.FakeSource ok = new TroupeMetricsTest.FakeSource();
        OpsSource broken = new OpsSource() {
            @Override
            public java.util.List<org.troupe.server.groups.GroupStatus> groups() {
                throw new IllegalStateException("no groups today\nsecond line");
            }

            @Override
            public java.util.List<org.troupe.server.events.ChannelStatus> channels() {
                return ok.channels();
            }

            @Override
            public java.util.List<org.troupe.server.cluster.RaftGroupStatus> raftGroups() {
                return ok.raftGroups();
            }

            @Override
            public String notReadyReason() {
                return "Raft group shard-0 has no leader yet";
            }
        };
        try (OpsHttpServer s = OpsHttpServer.start("127.0.0.1", 0, broken, new TroupeMetrics(broken))) {
            String base = "http://127.0.0.1:" + s.port();
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/groups")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode());
            assertEquals("internal error: IllegalStateException: no groups today second line", r.body().strip());
            assertEquals(500, CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> ready = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode());
            assertEquals("not ready: Raft group shard-0 has no leader yet", ready.body().strip());
            HttpResponse<String> channels = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/channels"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, channels.statusCode());
            assertEquals("{\"channels\":[]}", channels.body());
        }
    }
}
