package org.troupe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.server.cluster.ClusterConfig;
import org.troupe.server.cluster.ClusterLayout;

/**
 * A cluster of Troupe servers for a bench, each its own JVM ({@link ClusterServerChild}) on
 * 127.0.0.1 with ports chosen now and its Raft log in a directory of its own: servers can be
 * killed with SIGKILL and restarted on the same ports and data. Every wait has a time-out;
 * {@link #close} kills what is left and deletes the data.
 *
 * <p>Servers are {@code s1..sN}; server {@code i} (0-based) is {@code s(i+1)}.
 */
public final class BenchCluster implements AutoCloseable {
    /** How long a server may take to start, and the cluster to elect its leaders (2 shared cores). */
    public static final long START_MILLIS = 120_000;
    private static final String HOST = "127.0.0.1";

    private final java.util.function.IntFunction<List<String>> perServer;
    private final List<String> jvmArgs;
    private final Path data;
    private final int[] ports;
    private final String peers;
    private final ChildProcess[] servers;
    private final ClusterLayout layout;
    /** Connections for listing groups: one per server, and one to all of them (last). */
    private final Troupe[] admins;

    private BenchCluster(int n, List<String> jvmArgs, java.util.function.IntFunction<List<String>> perServer)
            throws IOException {
        this.jvmArgs = List.copyOf(jvmArgs);
        this.perServer = perServer;
        this.data = Files.createTempDirectory("troupe-bench-cluster");
        this.ports = new int[n];
        this.servers = new ChildProcess[n];
        this.admins = new Troupe[n + 1];
        Set<Integer> taken = new HashSet<>();
        List<ClusterConfig.Peer> raftPeers = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ports[i] = freshPort(taken);
            int raft = freshPort(taken);
            sb.append(i == 0 ? "" : ",").append(id(i)).append('=').append(HOST).append(':').append(ports[i]).append(':')
                    .append(raft);
            raftPeers.add(new ClusterConfig.Peer(id(i), HOST, raft));
        }
        this.peers = sb.toString();
        this.layout = new ClusterLayout(ClusterConfig.builder().serverId(id(0)).peers(raftPeers).dataDir(data).build());
    }

    private static int freshPort(Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p = ChannelBench.freePort();
            if (taken.add(p)) {
                return p;
            }
        }
        throw new IOException("no free port found");
    }

    /**
     * Starts {@code n} servers at once and waits until each serves and every Raft group has a
     * leader.
     */
    public static BenchCluster start(int n, List<String> jvmArgs) throws Exception {
        return start(n, jvmArgs, i -> List.of());
    }

    /** {@link #start(int, List)}, server {@code i} also given the JVM options {@code perServer.apply(i)}. */
    public static BenchCluster start(int n, List<String> jvmArgs, java.util.function.IntFunction<List<String>> perServer)
            throws Exception {
        if (n < 1) {
            throw new IllegalArgumentException("a cluster needs at least one server, got " + n);
        }
        BenchCluster c = new BenchCluster(n, jvmArgs, perServer);
        try {
            for (int i = 0; i < n; i++) {
                c.servers[i] = c.launch(i);
            }
            for (int i = 0; i < n; i++) {
                c.servers[i].await("troupe server ready", START_MILLIS);
            }
            for (int i = 0; i < n; i++) {
                c.command(i, "leaders", "leaders", START_MILLIS);
            }
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private ChildProcess launch(int i) throws IOException {
        List<String> jvm = new ArrayList<>(jvmArgs);
        jvm.addAll(perServer.apply(i));
        return ChildProcess.start(id(i), jvm, ClusterServerChild.class, List.of("--id", id(i), "--peers", peers,
                "--data", data.resolve(id(i)).toString(), "--port", Integer.toString(ports[i])));
    }

    /** {@code s(i+1)}. */
    public static String id(int i) {
        return "s" + (i + 1);
    }

    /** The index of server {@code id}, or -1. */
    public int indexOf(String id) {
        for (int i = 0; i < ports.length; i++) {
            if (id(i).equals(id)) {
                return i;
            }
        }
        return -1;
    }

    public int size() {
        return ports.length;
    }

    /** Every server's {@code HOST:PORT}, comma-separated: what a member connects to. */
    public String addresses() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            all.add(address(i));
        }
        return String.join(",", all);
    }

    public String address(int i) {
        return HOST + ":" + ports[i];
    }

    /** The server's process (null once killed and not restarted). */
    public ChildProcess process(int i) {
        return servers[i];
    }

    /** The cluster's layout: which shard a group lands in and which server it prefers as leader. */
    public ClusterLayout layout() {
        return layout;
    }

    /**
     * Names for {@code count} groups that spread evenly: group {@code g} is {@code prefix-g-K}
     * with the smallest {@code K} that puts it in shard {@code g % shards}, so the shards' own
     * rotation spreads their preferred leaders over the servers.
     */
    public List<String> spreadNames(String prefix, int count) {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            int shard = g % layout.shards();
            for (int k = 0; ; k++) {
                String name = prefix + "-" + g + "-" + k;
                if (layout.shardOf(name) == shard) {
                    out.add(name);
                    break;
                }
            }
        }
        return out;
    }

    /** The server the layout prefers as the leader of a group's shard. */
    public String preferredLeader(String group) {
        return id(layout.preferredLeader(ClusterLayout.slotOfShard(layout.shardOf(group))));
    }

    /**
     * Sends a command to server {@code i}'s stdin and waits for its answer, a line starting with
     * {@code reply}; a line starting with the command's first word and {@code -failed} fails.
     */
    public String command(int i, String line, String reply, long millis) throws Exception {
        ChildProcess p = servers[i];
        p.send(line);
        String word = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
        String got = p.await("", millis);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!got.startsWith(reply)) {
            if (got.startsWith(word + "-failed") || got.startsWith("unknown-command")) {
                throw new IllegalStateException(id(i) + ": " + line + ": " + got);
            }
            got = p.await("", Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
        }
        return got;
    }

    /** Creates groups through any server, trying again while the cluster cannot take it yet. */
    public void createGroups(List<String> names, ApplicationProtocol protocol) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMillis(START_MILLIS).toNanos();
        try (Troupe t = Troupe.connect(addresses())) {
            for (String name : names) {
                while (true) {
                    try {
                        t.createGroup(name, protocol);
                        break;
                    } catch (TroupeException e) {
                        if (e.getMessage().endsWith("exists already")) {
                            break; // an earlier attempt went through after all
                        }
                        if (System.nanoTime() - deadline >= 0) {
                            throw e;
                        }
                        Thread.sleep(200);
                    }
                }
            }
        }
    }

    /** Creates ad-hoc groups (every role sends every type). */
    public void createGroups(List<String> names, GroupSpec spec) throws Exception {
        createGroups(names, spec.toProtocol());
    }

    /** The groups as server {@code i} lists them (its own copies: counters may lag the leader's). */
    public GroupInfo[] groupsAt(int i) throws TroupeException {
        synchronized (admins) {
            if (admins[i] == null) {
                admins[i] = Troupe.connect(address(i));
            }
            return admins[i].groups();
        }
    }

    /** The groups as any live server lists them. */
    public GroupInfo[] groups() throws TroupeException {
        synchronized (admins) {
            if (admins[ports.length] == null) {
                admins[ports.length] = Troupe.connect(addresses());
            }
            return admins[ports.length].groups();
        }
    }

    /** The leader of {@code group} as the first server that answers knows it ("" while none). */
    public String leaderOf(String group) throws TroupeException {
        for (GroupInfo g : groups()) {
            if (g.name.equals(group)) {
                return g.leader;
            }
        }
        throw new TroupeException("no group " + group + " in the cluster");
    }

    /**
     * Waits until every group's leader is the one {@code want} names (null: any), re-asking every
     * {@code 100 ms}; throws with what it saw last on time-out.
     */
    public void awaitLeaders(List<String> groups, java.util.function.Function<String, String> want, long millis)
            throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        String last = "";
        while (true) {
            List<String> wrong = new ArrayList<>();
            java.util.Map<String, String> leaders = new java.util.HashMap<>();
            for (GroupInfo g : groups()) {
                leaders.put(g.name, g.leader);
            }
            for (String g : groups) {
                String l = leaders.getOrDefault(g, "");
                String w = want.apply(g);
                if (l.isEmpty() || (w != null && !w.equals(l))) {
                    wrong.add(g + " led by " + (l.isEmpty() ? "none" : l) + (w == null ? "" : ", not " + w));
                }
            }
            if (wrong.isEmpty()) {
                return;
            }
            last = String.join("; ", wrong);
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("leaders not as wanted within " + millis + " ms: " + last);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until every group is led by the server the layout prefers for its shard. Ratis moves
     * a shard's leadership there by itself soon after the start (when that server is caught up and
     * the shard idle); members that join meanwhile would find a group between two leaders. If it
     * does not happen within 10 s, every server is asked to hand its shards back.
     */
    public void awaitPreferredLeaders(List<String> groups) throws Exception {
        try {
            awaitLeaders(groups, this::preferredLeader, 10_000);
        } catch (TimeoutException e) {
            for (int i = 0; i < size(); i++) {
                if (servers[i] != null && servers[i].isAlive()) {
                    command(i, "restore", "restored", START_MILLIS);
                }
            }
            awaitLeaders(groups, this::preferredLeader, START_MILLIS);
        }
    }

    /** SIGKILLs server {@code i} and waits until it is gone. */
    public void kill(int i) throws Exception {
        ChildProcess p = servers[i];
        p.signal("KILL");
        if (!p.finish(30_000)) {
            throw new TimeoutException(id(i) + " still runs 30 s after SIGKILL");
        }
        p.close();
    }

    /** Starts server {@code i} again, on the same ports and data, and waits until it serves. */
    public void restart(int i) throws Exception {
        servers[i] = launch(i);
        servers[i].await("troupe server ready", START_MILLIS);
    }

    @Override
    public void close() {
        synchronized (admins) {
            for (Troupe t : admins) {
                if (t != null) {
                    t.close();
                }
            }
        }
        for (ChildProcess p : servers) {
            if (p != null) {
                p.close();
            }
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("# could not delete " + data + ": " + e);
        }
    }
}
