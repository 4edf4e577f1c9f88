package org.troupe.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.troupe.server.ClusterSettings;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import org.troupe.server.cluster.ClusterNode;
import org.troupe.server.cluster.RaftGroupStatus;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;

/**
 * One server of a bench's cluster, in its own JVM: the server {@code troupe server --id --peers
 * --data} runs, plus commands on stdin that a bench needs and the command line does not offer.
 * It halts when the process that started it exits.
 *
 * <p>Arguments: {@code --id ID --peers ID=HOST:PORT:RAFTPORT,... --data DIR --port PORT}. Prints
 * {@code troupe server ready on HOST:PORT} once it serves, then answers, one line each:
 * <ul>
 * <li>{@code leaders}: waits (up to 60 s) until every Raft group has a leader, prints
 *     {@code leaders directory=s3 shard-0=s1 ...} (or {@code leaders-failed REASON});
 * <li>{@code lead ID}: hands the leadership of every shard to server {@code ID}, prints
 *     {@code led ID} (or {@code lead-failed REASON});
 * <li>{@code restore}: hands the shards this server leads back to their preferred servers,
 *     prints {@code restored N};
 * <li>{@code quit} or the end of stdin: stops the server.
 * </ul>
 */
public final class ClusterServerChild {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HOST = "127.0.0.1";

    private ClusterServerChild() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].substring(2), args[i + 1]);
        }
        int port = Integer.parseInt(a.get("port"));
        ClusterSettings cluster = ClusterSettings.parse(a.get("id"), a.get("peers"), Path.of(a.get("data")));
        try (TroupeServer server = TroupeServer.start(new ServerSettings(HOST, port, false, ChannelSettings.defaults(),
                GroupSettings.defaults(), cluster))) {
            System.out.println("troupe server ready on " + HOST + ":" + port);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                System.out.println(answer(server.cluster(), line.trim()));
                System.out.flush();
            }
        }
    }

    /** The one-line answer to a command. */
    static String answer(ClusterNode node, String command) {
        try {
            if (command.equals("leaders")) {
                node.awaitLeaders(WAIT);
                StringBuilder sb = new StringBuilder("leaders");
                for (RaftGroupStatus s : node.status()) {
                    sb.append(' ').append(s.group()).append('=').append(s.leader());
                }
                return sb.toString();
            }
            if (command.startsWith("lead ")) {
                String to = command.substring(5).trim();
                for (RaftGroupStatus s : node.status()) {
                    if (!s.group().equals("directory") && !to.equals(s.leader())) {
                        node.transferLeadership(s.group(), to, WAIT);
                    }
                }
                return "led " + to;
            }
            if (command.equals("restore")) {
                return "restored " + node.restorePreferredLeaders(WAIT).size();
            }
            return "unknown-command " + command + " (leaders, lead ID, restore, quit)";
        } catch (Exception e) {
            String word = command.contains(" ") ? command.substring(0, command.indexOf(' ')) : command;
            return word + "-failed " + e;
        }
    }
}
