package org.troupe.member.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.troupe.cli.TroupeCli;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.server.JavaProcess;

/**
 * Test helper: a cluster of {@code troupe server} JVMs on 127.0.0.1 ({@code --id sK --peers ...
 * --data DIR}, IIOP and Raft ports chosen at run time), and group members ({@link ProcessMember})
 * each in its own JVM, given every server. A server can be killed (SIGKILL), paused (SIGSTOP),
 * resumed (SIGCONT) and started again on the same ports and data. {@link #close} kills every
 * process it started.
 */
final class ClusterServers implements AutoCloseable {
    /**
     * Server JVMs: a modest heap, quick start, serial GC (several JVMs share 2 cores); Troupe's
     * logs at WARN, or at the level {@code -Dtroupe.test.server.log} gives (INFO shows leadership,
     * hosting, joins, resumes and removals).
     */
    static final List<String> SERVER_JVM_ARGS = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dtroupe.log=" + System.getProperty("troupe.test.server.log", "WARN"));
    /**
     * Member JVMs: as the other process tests' ({@link ProcessCluster#MEMBER_JVM_ARGS}); Troupe's
     * logs at the level {@code -Dtroupe.test.member.log} gives (INFO shows each move), else WARN.
     */
    static final List<String> MEMBER_JVM_ARGS = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Dtroupe.log=" + System.getProperty("troupe.test.member.log", "WARN"));
    /** How long a server JVM may take to start, or a group to get a leader. */
    static final long START_TIMEOUT_MS = 60_000;

    private final String label;
    private final Path data;
    private final List<String> serverOptions;
    private final int[] iiopPorts;
    private final int[] raftPorts;
    private final String peers;
    /** How this test's own connections and the member JVMs reach the servers: TLS (null: plain IIOP). */
    private org.troupe.orb.TlsConfig clientTls;
    private List<String> memberJvmArgs = MEMBER_JVM_ARGS;
    /**
     * How long a server may take to start, or a group to get a leader: longer over TLS (a TLS
     * server's first handshakes, and gRPC's start, cost seconds of CPU on a loaded machine).
     */
    private long startTimeoutMs = START_TIMEOUT_MS;
    /** Server {@code i}'s TLS options (and any other of its own). */
    private java.util.function.IntFunction<List<String>> serverTls = i -> List.of();
    private final JavaProcess[] servers;
    /** Every server JVM started, killed ones included (their output stays readable). */
    private final List<JavaProcess> started = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();

    private ClusterServers(String label, Path data, int n, List<String> serverOptions) throws IOException {
        this.label = label;
        this.data = data;
        this.serverOptions = List.copyOf(serverOptions);
        this.iiopPorts = new int[n];
        this.raftPorts = new int[n];
        this.servers = new JavaProcess[n];
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < n; i++) {
            iiopPorts[i] = JavaProcess.freePort();
            int raft = JavaProcess.freePort();
            raftPorts[i] = raft;
            p.append(i == 0 ? "" : ",").append(id(i)).append("=127.0.0.1:").append(iiopPorts[i]).append(':')
                    .append(raft);
        }
        this.peers = p.toString();
    }

    /**
     * Starts {@code n} servers at once ({@code troupe server --id sK --peers ... --data DIR/sK
     * serverOptions...}) and waits until each says it is ready.
     */
    static ClusterServers start(String label, Path data, int n, String... serverOptions) throws Exception {
        return start(new ClusterServers(label, data, n, List.of(serverOptions)));
    }

    /**
     * Starts {@code n} servers over TLS only ({@code --tls} with the stores of {@code pki}: IIOP
     * over TLS, Raft over gRPC with mutual TLS); this helper's own connections and its members
     * then connect over TLS, trusting the authority of {@code pki}.
     */
    static ClusterServers startTls(String label, Path data, int n, org.troupe.bench.ThrowAwayPki pki,
            String... serverOptions) throws Exception {
        return startTls(label, data, n, pki, i -> pki.serverKeystore, i -> List.of(), serverOptions);
    }

    /**
     * As {@link #startTls(String, Path, int, org.troupe.bench.ThrowAwayPki, String...)}, server
     * {@code i} with the key store {@code keystores.apply(i)} and the further options
     * {@code extra.apply(i)}.
     */
    static ClusterServers startTls(String label, Path data, int n, org.troupe.bench.ThrowAwayPki pki,
            java.util.function.IntFunction<Path> keystores, java.util.function.IntFunction<List<String>> extra,
            String... serverOptions) throws Exception {
        ClusterServers c = new ClusterServers(label, data, n, List.of(serverOptions));
        c.serverTls = i -> {
            List<String> options = new ArrayList<>(List.of("--tls", "--keystore", keystores.apply(i).toString(),
                    "--keystore-password-file", pki.passwordFile.toString(), "--truststore", pki.truststore.toString(),
                    "--truststore-password-file", pki.passwordFile.toString()));
            options.addAll(extra.apply(i));
            return options;
        };
        c.clientTls = pki.client();
        List<String> jvm = new ArrayList<>(MEMBER_JVM_ARGS);
        jvm.add("-D" + org.troupe.orb.TlsConfig.TRUSTSTORE_PROPERTY + "=" + pki.truststore);
        jvm.add("-D" + org.troupe.orb.TlsConfig.TRUSTSTORE_PASSWORD_FILE_PROPERTY + "=" + pki.passwordFile);
        c.memberJvmArgs = List.copyOf(jvm);
        c.startTimeoutMs = 3 * START_TIMEOUT_MS;
        return start(c);
    }

    private static ClusterServers start(ClusterServers c) throws Exception {
        try {
            for (int i = 0; i < c.servers.length; i++) {
                c.launch(i);
            }
            for (int i = 0; i < c.servers.length; i++) {
                c.servers[i].awaitPrefix("troupe server ready", c.startTimeoutMs);
            }
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /** The id of server {@code i}: s1, s2, ... */
    static String id(int i) {
        return "s" + (i + 1);
    }

    /** The index of the server with this id. */
    static int index(String id) {
        return Integer.parseInt(id.substring(1)) - 1;
    }

    /** {@code 127.0.0.1:PORT} of server {@code i}. */
    String address(int i) {
        return "127.0.0.1:" + iiopPorts[i];
    }

    /** The Raft port of server {@code i}. */
    int raftPort(int i) {
        return raftPorts[i];
    }

    /** The TLS configuration of this helper's own connections (null: plain IIOP). */
    org.troupe.orb.TlsConfig clientTls() {
        return clientTls;
    }

    /** Every server, comma-separated: what a member is given. */
    String all() {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            a.add(address(i));
        }
        return String.join(",", a);
    }

    private void launch(int i) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--exit-with-parent", "--host", "127.0.0.1", "--port",
                Integer.toString(iiopPorts[i]), "--no-naming", "--id", id(i), "--peers", peers, "--data",
                data.resolve(id(i)).toString()));
        args.addAll(serverOptions);
        args.addAll(serverTls.apply(i));
        JavaProcess p = JavaProcess.start(label + "-" + id(i) + "#" + (started.size() + 1), SERVER_JVM_ARGS,
                TroupeCli.class, args);
        servers[i] = p;
        started.add(p);
    }

    /** What server {@code i} (its latest JVM) has written so far, standard output and error. */
    String output(int i) {
        return servers[i].stdout() + servers[i].stderr();
    }

    /** Sends a signal to server {@code i} with kill(1); after KILL, waits until it is gone. */
    void signal(int i, String sig) throws Exception {
        servers[i].signal(sig);
        if (sig.equals("KILL")) {
            servers[i].awaitExit(10_000);
        }
    }

    /**
     * Starts these servers again, at once, each on its ports and data directory; waits until
     * each is ready.
     */
    void restart(int... indexes) throws Exception {
        for (int i : indexes) {
            if (servers[i].isAlive()) {
                throw new IllegalStateException(id(i) + " still runs");
            }
        }
        for (int i : indexes) {
            launch(i);
        }
        for (int i : indexes) {
            servers[i].awaitPrefix("troupe server ready", startTimeoutMs);
        }
    }

    /**
     * Creates a group through any server, retried while the cluster has no leader for it yet;
     * returns once the group is served through every running server.
     */
    void createGroup(String group, ApplicationProtocol protocol) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs);
        try (Troupe admin = Troupe.connect(all(), clientTls)) {
            while (true) {
                try {
                    admin.createGroup(group, protocol);
                    break;
                } catch (TroupeException e) {
                    if (e.getMessage().contains("exists already") && find(admin.groups(), group) != null) {
                        break; // an earlier attempt went through after its caller gave up
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
        }
        awaitServed(group);
    }

    /**
     * Waits until a call on the group's manager succeeds through every running server (the
     * leader hosts it, the others forward to it).
     */
    void awaitServed(String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs);
        try (Troupe t = Troupe.connect(all(), clientTls)) {
            for (int i = 0; i < servers.length; i++) {
                if (!servers[i].isAlive()) {
                    continue;
                }
                while (true) {
                    try {
                        org.troupe.idl.Groups.GroupManagerHelper.unchecked_narrow(t.orb().string_to_object(
                                org.troupe.orb.ServerAddress.parse(address(i)).withTls(clientTls != null).objectUrl(
                                        org.troupe.orb.OrbFactory.IMPL_NAME + "/groups/" + group))).descriptor();
                        break;
                    } catch (org.omg.CORBA.TRANSIENT | org.omg.CORBA.COMM_FAILURE | org.omg.CORBA.TIMEOUT e) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new TimeoutException("group " + group + " not served through " + id(i) + " within "
                                    + startTimeoutMs + " ms: " + e);
                        }
                        Thread.sleep(100);
                    }
                }
            }
        }
    }

    /**
     * The index of the server that leads {@code group} now: the one that server {@code asker}
     * names, once that one names itself too.
     */
    int leaderNow(int asker, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs);
        while (true) {
            int leader = awaitLeader(asker, group, x -> servers[x].isAlive(), startTimeoutMs);
            GroupInfo own = groupAt(leader, group);
            if (own != null && own.leader.equals(id(leader))) {
                return leader;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException(id(asker) + " names " + id(leader) + " the leader of " + group
                        + ", which names " + describe(own));
            }
            Thread.sleep(100);
        }
    }

    /** The groups as server {@code i} lists them (its own copy, and the leader it knows). */
    GroupInfo[] groupsAt(int i) throws TroupeException {
        try (Troupe t = Troupe.connect(address(i), clientTls)) {
            return t.groups();
        }
    }

    /** One group as server {@code i} lists it, or null. */
    GroupInfo groupAt(int i, String group) throws TroupeException {
        return find(groupsAt(i), group);
    }

    static GroupInfo find(GroupInfo[] groups, String name) {
        for (GroupInfo g : groups) {
            if (g.name.equals(name)) {
                return g;
            }
        }
        return null;
    }

    /**
     * Waits until server {@code asker} lists {@code group} with a leader that {@code accept}s;
     * returns that listing.
     */
    GroupInfo awaitGroup(int asker, String group, Predicate<GroupInfo> accept, String what, long timeoutMillis)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        GroupInfo last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = groupAt(asker, group);
                if (last != null && accept.test(last)) {
                    return last;
                }
            } catch (TroupeException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                threadDump(asker);
                throw new TimeoutException(id(asker) + ": group " + group + ": " + what + " not seen within "
                        + timeoutMillis + " ms; last listed: " + describe(last)
                        + (lastError != null ? "; last error: " + lastError.getMessage() : "") + "\n" + describe());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Has server {@code i}, if it runs, print its threads to its standard output (SIGQUIT), where
     * the process logs keep them: for a failure where a server stops answering.
     */
    void threadDump(int i) {
        try {
            if (servers[i].isAlive()) {
                servers[i].signal("QUIT");
                // the JVM prints its threads, then these summary lines
                servers[i].awaitLine(l -> l.startsWith("JNI global refs") || l.equals("Heap"), "ending a thread dump",
                        5_000);
            }
        } catch (Exception e) {
            // only a diagnostic
        }
    }

    /** The index of the server that leads {@code group}, as server {@code asker} sees it, once there is one. */
    int awaitLeader(int asker, String group, Predicate<Integer> accept, long timeoutMillis) throws Exception {
        GroupInfo g = awaitGroup(asker, group, x -> !x.leader.isEmpty() && accept.test(index(x.leader)),
                "an acceptable leader", timeoutMillis);
        return index(g.leader);
    }

    static String describe(GroupInfo g) {
        if (g == null) {
            return "nothing";
        }
        StringBuilder ids = new StringBuilder();
        for (var m : g.view.members) {
            ids.append(ids.length() == 0 ? "" : ",").append(m.id);
        }
        return g.name + " leader=" + g.leader + " term=" + g.term + " view=" + g.view.view_id + " [" + ids + "] sequenced="
                + g.messages_sequenced + " views=" + g.views_installed;
    }

    /** Starts a member JVM given every server (it joins at once, or at JOIN with --join-on-stdin); does not wait. */
    Member member(String group, String role, String name, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of(all(), group, role, name));
        args.addAll(List.of(options));
        Member m = new Member(name, JavaProcess.start(label + "-" + name + "#" + (members.size() + 1),
                memberJvmArgs, ProcessMember.class, args));
        members.add(m);
        return m;
    }

    /** Every process's output, for failure messages (the tail of each). */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Member m : members) {
            b.append(tail(m.process().describe(), 3000)).append('\n');
        }
        for (JavaProcess s : started) {
            b.append(tail(s.describe(), 3000)).append('\n');
        }
        return b.toString();
    }

    /**
     * Writes every process's whole stdout and stderr to {@code dir/NAME.out} and {@code
     * dir/NAME.err} (for a failed test: what happened, in full); returns {@code dir}.
     */
    Path dump(Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        List<JavaProcess> all = new ArrayList<>();
        for (Member m : members) {
            all.add(m.process());
        }
        all.addAll(started);
        for (JavaProcess p : all) {
            String file = p.name().replaceAll("[^A-Za-z0-9._#-]", "_");
            java.nio.file.Files.writeString(dir.resolve(file + ".out"), p.stdout() + "\n");
            java.nio.file.Files.writeString(dir.resolve(file + ".err"), p.stderr());
        }
        return dir;
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "[...]" + s.substring(s.length() - max);
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.process().close();
        }
        for (JavaProcess s : started) {
            s.close(); // SIGKILL: a paused server goes too
        }
    }
}
