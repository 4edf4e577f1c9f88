package org.troupe.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.troupe.server.cluster.ClusterConfig;

/**
 * How a server takes part in a cluster: its id, every server's IIOP address (where members and
 * forwarded calls reach it) and Raft address, and where its Raft log and snapshots live.
 *
 * <p>A peer is written {@code ID=HOST:PORT[:RAFTPORT]}: {@code PORT} is the server's IIOP port
 * (its {@code --port}), {@code RAFTPORT} the port its Raft transport listens on ({@code PORT + 1}
 * when left out).
 *
 * @param raft the replication engine's configuration (Raft addresses)
 * @param iiop each server's id to its IIOP {@code HOST:PORT}
 */
public record ClusterSettings(ClusterConfig raft, Map<String, String> iiop) {
    public ClusterSettings {
        iiop = Map.copyOf(iiop);
    }

    /**
     * Parses {@code --id}, {@code --peers} and {@code --data}.
     *
     * @throws IllegalArgumentException with one sentence saying what is wrong
     */
    public static ClusterSettings parse(String id, String peers, Path data) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("--peers needs --id: which of the peers this server is");
        }
        if (data == null) {
            throw new IllegalArgumentException("--peers needs --data: the directory for this server's Raft log and"
                    + " snapshots");
        }
        Map<String, String> iiop = new LinkedHashMap<>();
        List<String> raft = new ArrayList<>();
        for (String entry : peers.split(",")) {
            String e = entry.trim();
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("peer '" + e + "' is not ID=HOST:PORT[:RAFTPORT]");
            }
            String[] parts = e.substring(eq + 1).split(":");
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("peer '" + e + "' is not ID=HOST:PORT[:RAFTPORT]");
            }
            int port = port(parts[1], e);
            int raftPort = parts.length == 3 ? port(parts[2], e) : port + 1;
            String peerId = e.substring(0, eq);
            if (iiop.put(peerId, parts[0] + ":" + port) != null) {
                throw new IllegalArgumentException("peer id '" + peerId + "' appears twice in --peers");
            }
            raft.add(peerId + "=" + parts[0] + ":" + raftPort);
        }
        if (!iiop.containsKey(id)) {
            throw new IllegalArgumentException("--id " + id + " is not one of the peers (" + String.join(", ",
                    iiop.keySet()) + ")");
        }
        ClusterConfig config = ClusterConfig.builder().serverId(id).peers(String.join(",", raft)).dataDir(data)
                .restoreLeadersAfter(RESTORE_LEADERS_AFTER).build();
        return new ClusterSettings(config, iiop);
    }

    private static int port(String text, String entry) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("peer '" + entry + "': '" + text + "' is not a port (1-65535)");
    }

    /**
     * How long a server that came back must have answered before the groups it prefers to lead
     * are handed back to it (see {@link org.troupe.server.cluster.PreferredLeaderRestorer}).
     */
    public static final java.time.Duration RESTORE_LEADERS_AFTER = java.time.Duration.ofSeconds(30);

    /** This server's own IIOP {@code HOST:PORT}. */
    public String selfAddress() {
        return iiop.get(raft.serverId());
    }

    /** This settings with another replication configuration (tests: time-outs, shards). */
    public ClusterSettings withRaft(ClusterConfig other) {
        return new ClusterSettings(other, iiop);
    }
}
