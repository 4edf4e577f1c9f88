package org.troupe.server.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.troupe.server.JavaProcess;

/**
 * Test helper: N cluster nodes in this JVM, each with its own data directory under a temp dir
 * and a free port on 127.0.0.1, each with its own {@link AppendOnlyList.Factory}.
 */
final class LocalCluster implements AutoCloseable {
    static {
        // Ratis logs every refused connection to a peer that is not up yet, with a stack trace:
        // keep its errors in this JVM's test output, not tens of thousands of such lines.
        if (org.slf4j.LoggerFactory.getLogger("org.apache.ratis") instanceof ch.qos.logback.classic.Logger ratis) {
            ratis.setLevel(ch.qos.logback.classic.Level.ERROR);
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.ratis.util.LifeCycle"))
                    .setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }

    final List<ClusterConfig> configs = new ArrayList<>();
    final ClusterNode[] nodes;
    final AppendOnlyList.Factory[] states;

    LocalCluster(Path dir, int n, UnaryOperator<ClusterConfig.Builder> tune) throws IOException {
        StringBuilder peers = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            peers.append(i > 1 ? "," : "").append("s").append(i).append("=127.0.0.1:").append(JavaProcess.freePort());
        }
        for (int i = 1; i <= n; i++) {
            configs.add(tune.apply(ClusterConfig.builder()
                    .serverId("s" + i)
                    .peers(peers.toString())
                    .dataDir(dir.resolve("s" + i))).build());
        }
        nodes = new ClusterNode[n];
        states = new AppendOnlyList.Factory[n];
        for (int i = 0; i < n; i++) {
            start(i);
        }
    }

    void start(int i) throws IOException {
        states[i] = new AppendOnlyList.Factory();
        nodes[i] = ClusterNode.start(configs.get(i), states[i]);
    }

    void stop(int i) {
        nodes[i].close();
        nodes[i] = null;
    }

    void awaitLeaders(Duration timeout) throws TimeoutException, InterruptedException {
        for (ClusterNode n : nodes) {
            if (n != null) {
                n.awaitLeaders(timeout);
            }
        }
    }

    /** The index of the node that leads this Raft group now (as node i sees it), or -1. */
    int leaderIndex(String group) {
        for (ClusterNode n : nodes) {
            if (n != null) {
                String leader = n.status(group).leader();
                if (leader != null) {
                    return Integer.parseInt(leader.substring(1)) - 1;
                }
            }
        }
        return -1;
    }

    static void await(BooleanSupplier condition, Duration timeout, String what)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException(what + " not within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                stop(i);
            }
        }
    }
}
