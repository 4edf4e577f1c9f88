package org.troupe.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.server.groups.GroupStatus;
import org.troupe.server.groups.MemberInfo;
import org.troupe.server.groups.RemovalReason;
import org.troupe.server.groups.View;
import org.troupe.server.groups.ViewHistory;

/**
 * The console's files and JSON over HTTP (127.0.0.1, a free port), from a source the test sets:
 * the page and its script come from the jar; /api/groups shows roles with their minimums and why
 * a view is incomplete, members' health and the sequencer's holder; /api/views each group's
 * latest view changes with their causes; /api/rates the sampled counters; an authorizer that
 * refuses gets 401 with its reason, before any page is read.
 */
@Tag("integration")
class ConsolePagesTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static GroupStatus lesson() {
        MemberInfo tess = new MemberInfo(1, "Tess", "Teacher");
        MemberInfo ann = new MemberInfo(2, "Ann", "Student");
        MemberInfo bob = new MemberInfo(3, "Bob", "Student");
        List<ViewHistory.ViewChange> views = List.of(
                new ViewHistory.ViewChange(3, 1_000, List.of(new ViewHistory.Change(bob, ViewHistory.Cause.JOINED,
                        null))),
                new ViewHistory.ViewChange(4, 2_000, List.of(new ViewHistory.Change(bob, ViewHistory.Cause.CRASHED,
                        "silent for more than 600 ms"))));
        return new GroupStatus("lesson", "tele-teaching", new View(4, List.of(tess, ann), false, 2), 7, 4, 7, 70,
                Map.of(RemovalReason.SILENT, 1L), 0, 0, 1, null, 0,
                List.of(new GroupStatus.RoleState("Teacher", 1, 1, 1),
                        new GroupStatus.RoleState("Student", 2, org.troupe.protocol.RoleDef.UNBOUNDED, 1)),
                views, Map.of(1L, new GroupStatus.MemberHealth(120, 3, 4096, true),
                        2L, new GroupStatus.MemberHealth(2400, 4000, 4096, false)));
    }

    @Test
    void theConsoleAndItsJson() throws Exception {
        TroupeMetricsTest.FakeSource source = new TroupeMetricsTest.FakeSource();
        source.groups = List.of(lesson());
        try (OpsHttpServer s = OpsHttpServer.start("127.0.0.1", 0, source, new TroupeMetrics(source))) {
            HttpResponse<String> page = get(s.port(), "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
            assertTrue(page.body().contains("<script src=\"console.js\"></script>"), page.body());
            assertTrue(!page.body().contains("http://") && !page.body().contains("https://"),
                    "nothing loaded from elsewhere");
            HttpResponse<String> script = get(s.port(), "/console.js");
            assertEquals(200, script.statusCode());
            assertTrue(script.body().contains("api/groups"), "polls the JSON");
            assertEquals(200, get(s.port(), "/console.css").statusCode());

            String groups = get(s.port(), "/api/groups").body();
            assertTrue(groups.contains("{\"id\":1,\"name\":\"Tess\",\"role\":\"Teacher\",\"heartbeat_age_ms\":120,"
                    + "\"queue_depth\":3,\"queue_capacity\":4096,\"keeping_up\":true}"), groups);
            assertTrue(groups.contains("\"keeping_up\":false"), groups);
            assertTrue(groups.contains("\"roles\":[{\"name\":\"Teacher\",\"min\":1,\"max\":1,\"members\":1,\"met\":true},"
                    + "{\"name\":\"Student\",\"min\":2,\"max\":null,\"members\":1,\"met\":false}]"), groups);
            assertTrue(groups.contains("\"incomplete_why\":\"Student needs at least 2, has 1\""), groups);
            assertTrue(groups.contains("\"sequencer_member\":\"Ann\""), groups);

            String views = get(s.port(), "/api/views").body();
            assertEquals("{\"groups\":[{\"name\":\"lesson\",\"changes\":["
                    + "{\"view\":3,\"at\":1000,\"changes\":[{\"id\":3,\"name\":\"Bob\",\"role\":\"Student\","
                    + "\"cause\":\"joined\",\"why\":null}]},"
                    + "{\"view\":4,\"at\":2000,\"changes\":[{\"id\":3,\"name\":\"Bob\",\"role\":\"Student\","
                    + "\"cause\":\"crashed\",\"why\":\"silent for more than 600 ms\"}]}]}]}", views);

            // sampled at start, then every 2 s
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String rates;
            do {
                rates = get(s.port(), "/api/rates").body();
            } while (!rates.matches(".*\\[[0-9]+,7,7\\],\\[[0-9]+,7,7\\].*") && System.nanoTime() < deadline
                    && sleep(100));
            assertTrue(rates.startsWith("{\"period_ms\":2000,\"groups\":[{\"name\":\"lesson\",\"samples\":[["), rates);
            assertTrue(rates.matches(".*\\[[0-9]+,7,7\\],\\[[0-9]+,7,7\\].*"), "two samples: " + rates);
            source.groups = List.of();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                rates = get(s.port(), "/api/rates").body();
            } while (rates.contains("lesson") && System.nanoTime() < deadline && sleep(100));
            assertEquals("{\"period_ms\":2000,\"groups\":[]}", rates, "a group that is gone is forgotten");
        }
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    @Test
    void anAuthorizerThatRefusesIsAnsweredFirst() throws Exception {
        TroupeMetricsTest.FakeSource source = new TroupeMetricsTest.FakeSource();
        RequestAuthorizer auth = (method, path, header) -> "secret".equals(header.apply("X-Troupe-Admin")) ? null
                : "this endpoint needs the admin credential";
        try (OpsHttpServer s = OpsHttpServer.start("127.0.0.1", 0, source, new TroupeMetrics(source), auth)) {
            HttpResponse<String> refused = get(s.port(), "/api/groups");
            assertEquals(401, refused.statusCode());
            assertEquals("this endpoint needs the admin credential", refused.body().strip());
            assertEquals(401, get(s.port(), "/").statusCode());
            HttpResponse<String> let = get(s.port(), "/api/groups", "X-Troupe-Admin", "secret");
            assertEquals(200, let.statusCode());
            assertEquals("{\"groups\":[]}", let.body());
        }
    }
}
