package org.troupe.server.groups.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.server.TroupeServer;
import org.troupe.server.groups.GroupSettings;

/**
 * The operations endpoint of a three-server cluster: every server is ready once each Raft group
 * has a leader; exactly one server reports leading the group's shard, all report its term; the
 * leader's commit timer counted the group's commands; the JSON names the leader and the term.
 */
@Tag("integration")
class ClusterOpsEndpointTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(TroupeServer s, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The value of {@code name} with these label pairs in a scrape, or NaN. */
    private static double sample(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String head = line.substring(0, line.lastIndexOf(' '));
                boolean all = true;
                for (String l : labels) {
                    all &= head.contains(l);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return Double.NaN;
    }

    @Test
    void leadershipTermAndCommitTimesShow(@TempDir Path data) throws Exception {
        try (InJvmCluster c = InJvmCluster.start(3, data, new GroupSettings(100, 1000, 4096), -1);
                Troupe t = Troupe.connect(c.all())) {
            t.createGroup("watched", GroupSpec.parse("chat", "Peer:1:n", "Say"));
            Group g = t.join("watched", "Peer", "Pia");
            for (int i = 0; i < 10; i++) {
                g.send("Say", ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            int leader = c.leaderOf("watched");
            assertTrue(leader >= 0, "a leader of the group's shard");
            String shard = c.servers.get(0).cluster().statusOf("watched").group();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String lead;
            do {
                lead = get(c.servers.get(leader), "/metrics").body();
            } while (sample(lead, "troupe_group_messages_sequenced_total", "group=\"watched\"") < 10
                    && System.nanoTime() < deadline && sleep());
            assertEquals(10.0, sample(lead, "troupe_group_messages_sequenced_total", "group=\"watched\""), lead);
            assertTrue(sample(lead, "troupe_cluster_commit_seconds_count") >= 1, lead);
            int leaders = 0;
            for (TroupeServer s : c.servers) {
                assertEquals(200, get(s, "/readyz").statusCode(), "every Raft group has a leader");
                String m = get(s, "/metrics").body();
                leaders += (int) sample(m, "troupe_cluster_leader", "raft_group=\"" + shard + "\"");
                assertTrue(sample(m, "troupe_cluster_term", "raft_group=\"" + shard + "\"") >= 1, m);
                assertTrue(sample(m, "troupe_cluster_term", "raft_group=\"directory\"") >= 1, m);
            }
            assertEquals(1, leaders, "one server leads " + shard);
            String json = get(c.servers.get(leader), "/api/groups").body();
            assertTrue(json.contains("\"name\":\"watched\""), json);
            assertTrue(json.contains("\"leader\":\"s" + (leader + 1) + "\",\"term\":"), json);
            g.leave();
        }
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
