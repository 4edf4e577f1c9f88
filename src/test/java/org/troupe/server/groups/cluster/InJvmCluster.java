package org.troupe.server.groups.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.troupe.server.ClusterSettings;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;

/**
 * Test helper: a cluster of Troupe servers in the test JVM, each with its own ORB and Raft server
 * on 127.0.0.1 and free ports, its log under a directory of the test's. Servers can be stopped
 * one by one; {@link #close} stops the rest.
 */
final class InJvmCluster implements AutoCloseable {
    final List<TroupeServer> servers = new ArrayList<>();
    final List<String> addresses = new ArrayList<>();

    static InJvmCluster start(int n, Path data, GroupSettings groups) throws Exception {
        return start(n, data, groups, 0);
    }

    /** As {@link #start(int, Path, GroupSettings)}, each server with its operations endpoint on {@code httpPort}. */
    static InJvmCluster start(int n, Path data, GroupSettings groups, int httpPort) throws Exception {
        InJvmCluster c = new InJvmCluster();
        int[] ports = new int[n];
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ports[i] = JavaProcess.freePort();
            int raft = JavaProcess.freePort();
            peers.append(i == 0 ? "" : ",").append("s").append(i + 1).append("=127.0.0.1:").append(ports[i])
                    .append(':').append(raft);
            c.addresses.add("127.0.0.1:" + ports[i]);
        }
        TroupeServer[] started = new TroupeServer[n];
        Exception[] failed = new Exception[1];
        List<Thread> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            ClusterSettings cs = ClusterSettings.parse("s" + (k + 1), peers.toString(), data.resolve("s" + (k + 1)));
            Thread t = new Thread(() -> {
                try {
                    started[k] = TroupeServer.start(new ServerSettings("127.0.0.1", ports[k], true,
                            ChannelSettings.defaults(), groups, cs).withHttpPort(httpPort));
                } catch (Exception e) {
                    failed[0] = e;
                }
            });
            starting.add(t);
            t.start();
        }
        for (Thread t : starting) {
            t.join(120_000);
        }
        c.servers.addAll(java.util.Arrays.asList(started));
        if (failed[0] != null) {
            c.close();
            throw failed[0];
        }
        for (TroupeServer s : c.servers) {
            s.cluster().awaitLeaders(Duration.ofSeconds(60));
        }
        return c;
    }

    /** Every server's address, comma-separated: what a member connects to. */
    String all() {
        return String.join(",", addresses);
    }

    /** The index of the server that leads the shard of {@code group}, as server 0 sees it (-1: none). */
    int leaderOf(String group) {
        for (TroupeServer s : servers) {
            if (s != null && s.cluster() != null) {
                String leader = s.cluster().statusOf(group).leader();
                if (leader != null) {
                    return Integer.parseInt(leader.substring(1)) - 1;
                }
            }
        }
        return -1;
    }

    void stop(int i) {
        TroupeServer s = servers.set(i, null);
        if (s != null) {
            s.close();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < servers.size(); i++) {
            stop(i);
        }
    }
}
