package org.troupe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.troupe.member.Troupe;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.ProtocolLoader;

/**
 * {@code troupe bench latency}: the unloaded latency of one message, delivered everywhere. N
 * members, each in its own JVM; one member that does not hold the sequencer sends message k,
 * waits until every member has delivered it, then sends k+1. A message's latency is the last
 * member's delivery time minus its send time, both {@link System#nanoTime} ({@code
 * CLOCK_MONOTONIC}: one clock for every process of the machine, and every process runs on it).
 *
 * <p>How the sender learns that all N delivered: through a {@link DeliveryBoard}, a file every
 * member maps into memory, where a delivery costs the member one memory store and the sender
 * polls every 20 µs. The figures do not come from the board but from each member's log of its
 * delivery times ({@link LatencyLog}), read after the run: the pacing's own delay (at most one
 * poll interval, spent while nothing is in flight) is in no figure. A slower side channel (a line
 * on stdout to the coordinator, a socket) would make each member do a system call and wake
 * another process right after each delivery, while the others may still be delivering on the
 * same two cores.
 *
 * <pre>
 *  sequenced: sender --send--> server (sequencer) --Message + order--> members            (--sequencer server)
 *             sender --send--> server --Message--> members + holder --order--> server --order--> members  (member)
 *  reactive:  sender --send (a turn)--> server --Message--> members                      (no sequencer)
 *  jgroups:   sender --TCP--> coordinator (SEQUENCER) --TCP--> members
 *  floor:     caller --twoway push(any)--> servant, one JVM each (a JacORB round trip)
 *             caller --TCP--> echo, one JVM and one thread each (a socket round trip, no ORB)
 * </pre>
 *
 * The Troupe group runs a small application protocol ({@link #PROTOCOL}): {@value #SEQUENCED_TYPE}
 * is in no pattern (proactive: the sequencer's total order), {@value #REACTIVE_TYPE} is the
 * sender's turn (turn-based: it skips the sequencer). Both kinds run in the same JVMs, one after
 * the other, each with its own warm-up.
 */
public final class LatencyBench {
    /** The sender's role. */
    public static final String SENDER_ROLE = "Sender";
    /** Everyone else's role. */
    public static final String MEMBER_ROLE = "Member";
    public static final String SEQUENCED_TYPE = "Say";
    public static final String REACTIVE_TYPE = "Turn";
    /** Message types by kind ({@link LatencyDriver#SEQUENCED}, {@link LatencyDriver#REACTIVE}). */
    static final String[] TYPES = {SEQUENCED_TYPE, REACTIVE_TYPE};
    static final String[] KIND_NAMES = {"sequenced", "reactive"};
    /** The bench group's application protocol. */
    public static final String PROTOCOL = """
            <protocol name="bench-latency">
              <roles>
                <role name="Sender" min="1" max="1"/>
                <role name="Member" min="0" max="n"/>
              </roles>
              <message-types>
                <message-type name="Say"/>
                <message-type name="Turn"/>
              </message-types>
              <message-patterns>
                <pattern>
                  <message type="Turn" role="Sender" min="1" max="1"/>
                </pattern>
              </message-patterns>
            </protocol>
            """;
    private static final String GROUP = "bench-latency";
    /** With {@code --hosted}: the hosted member (never the sender, the last, nor the volunteer, the first). */
    static final int HOSTED_INDEX = 1;
    private static final long START_MILLIS = 120_000;
    /** How long members may take to fill the group (every member JVM starts at once). */
    private static final long FILL_MILLIS = 360_000;

    /** Where the group's sequencer is. */
    public enum Sequencer {
        /** Nobody volunteers: the server orders. */
        SERVER,
        /** The first member (never the sender) volunteers and holds it. */
        MEMBER
    }

    /**
     * What to run. {@code jfrDir}: if not null, each Troupe child records a JFR profile there.
     * {@code hopsDir}: if not null, each Troupe child stamps a message's hops ({@link
     * org.troupe.trace.HopTrace}) into a file there, and the report says where the time goes.
     * {@code hosted}: member 1 is a hosted member driven by an IDL-only client
     * ({@link LatencyHostedMember}) instead of a Java member. {@code inline}: the Java members take
     * their deliveries with a listener called on the receiving thread rather than {@code receive}.
     * {@code gapMillis}: the sender's think time between one message's last delivery and the next
     * send (0: at once).
     */
    public record Settings(int members, int size, int msgs, int warmup, int servers, Sequencer sequencer, int[] kinds,
            boolean compareJgroups, boolean hosted, boolean inline, List<String> jvmArgs, List<String> serverJvmArgs,
            Path jfrDir, Path hopsDir, int gapMillis) {
        public Settings {
            if (gapMillis < 0) {
                throw new IllegalArgumentException("--gap-ms must be at least 0");
            }
            if (hosted && members < 3) {
                throw new IllegalArgumentException("--hosted needs at least 3 members (a sender, a hosted member and a "
                        + "Java member)");
            }
            if (members < 2) {
                throw new IllegalArgumentException("--members must be at least 2 (a sender and a member that is not)");
            }
            if (size < LatencyDriver.HEADER) {
                throw new IllegalArgumentException("--size must be at least " + LatencyDriver.HEADER + " (kind and number)");
            }
            if (msgs < 1 || warmup < 0) {
                throw new IllegalArgumentException("--msgs must be at least 1 and --warmup at least 0");
            }
            if (servers < 1) {
                throw new IllegalArgumentException("--servers must be at least 1");
            }
            if (kinds.length == 0) {
                throw new IllegalArgumentException("no kind to run");
            }
            if (jfrDir != null && servers > 1) {
                throw new IllegalArgumentException("--jfr records a single server's children (not a cluster's)");
            }
            kinds = kinds.clone();
            jvmArgs = List.copyOf(jvmArgs);
            serverJvmArgs = List.copyOf(serverJvmArgs);
        }
    }

    /** One kind's figures, in nanoseconds. */
    public record Figures(String kind, int msgs, long p50, long p99, long p999, long max) {
        static Figures of(String kind, long[] latencies) {
            long[] s = latencies.clone();
            Arrays.sort(s);
            int n = s.length;
            return new Figures(kind, n, s[n / 2], s[Math.min(n - 1, (int) (n * 0.99))],
                    s[Math.min(n - 1, (int) (n * 0.999))], s[n - 1]);
        }

        /** The figures part of a line: {@code p50_us=.. p99_us=.. p999_us=.. max_us=..}. */
        String micros() {
            return String.format(Locale.ROOT, "p50_us=%d p99_us=%d p999_us=%d max_us=%d", us(p50), us(p99), us(p999),
                    us(max));
        }
    }

    /** What Troupe's run measured: each kind's figures, and with a hosted member, its own and the Java members'. */
    record TroupeFigures(List<Figures> kinds, List<Figures> hosted, List<Figures> java, List<String> hops) {
    }

    /**
     * The floor, in nanoseconds: a JacORB twoway round trip ({@code p50}, {@code p99},
     * {@code max}) and, under it, a plain TCP round trip of the same size ({@code tcpP50},
     * {@code tcpP99}).
     */
    public record Floor(long p50, long p99, long max, long tcpP50, long tcpP99) {
    }

    /** Everything one run printed. */
    public record Report(List<String> lines) {
    }

    private final Settings settings;

    public LatencyBench(Settings settings) {
        this.settings = settings;
    }

    static long us(long nanos) {
        return Math.round(nanos / 1000.0);
    }

    /** The kind number of a Troupe message type, or -1. */
    static int kindOf(String type) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i].equals(type)) {
                return i;
            }
        }
        return -1;
    }

    /** The bench group's protocol, parsed. */
    static ApplicationProtocol protocol() throws Exception {
        return ProtocolLoader.parse(PROTOCOL, "bench-latency (built in)");
    }

    /** The think time's field of a line, if there is one. */
    private static String gap(Settings s) {
        return s.gapMillis() > 0 ? " gap_ms=" + s.gapMillis() : "";
    }

    /** Runs the floor, Troupe and (if asked) JGroups; returns the lines to print. */
    public Report run() throws Exception {
        Settings s = settings;
        List<String> lines = new ArrayList<>();
        Floor floor = floor();
        TroupeFigures measured = troupe();
        List<Figures> troupe = measured.kinds();
        for (Figures f : troupe) {
            lines.add(String.format(Locale.ROOT, "troupe bench=latency members=%d size=%d kind=%s servers=%d%s %s",
                    s.members(), s.size(), f.kind(), s.servers(), gap(s), f.micros()));
        }
        for (int i = 0; i < measured.hosted().size(); i++) {
            Figures h = measured.hosted().get(i);
            Figures j = measured.java().get(i);
            lines.add(String.format(Locale.ROOT, "troupe-hosted bench=latency members=%d size=%d kind=%s servers=%d "
                    + "hosted_p50_us=%d hosted_p99_us=%d java_p50_us=%d java_p99_us=%d", s.members(), s.size(), h.kind(),
                    s.servers(), us(h.p50()), us(h.p99()), us(j.p50()), us(j.p99())));
        }
        lines.addAll(measured.hops());
        Figures jgroups = null;
        if (s.compareJgroups()) {
            jgroups = jgroups();
            lines.add(String.format(Locale.ROOT, "jgroups bench=latency members=%d size=%d kind=sequenced%s %s",
                    s.members(), s.size(), gap(s), jgroups.micros()));
        }
        lines.add(String.format(Locale.ROOT, "floor bench=latency size=%d twoway_p50_us=%d twoway_p99_us=%d "
                + "two_hop_p50_us=%d tcp_rtt_p50_us=%d tcp_rtt_p99_us=%d", s.size(), us(floor.p50()), us(floor.p99()),
                us(2 * floor.p50()), us(floor.tcpP50()), us(floor.tcpP99())));
        if (jgroups != null) {
            for (Figures f : troupe) {
                if (f.kind().equals("sequenced")) {
                    lines.add(String.format(Locale.ROOT, "ratio troupe/jgroups kind=sequenced p50_us=%.2f p99_us=%.2f",
                            (double) f.p50() / jgroups.p50(), (double) f.p99() / jgroups.p99()));
                }
            }
        }
        return new Report(lines);
    }

    /**
     * The raw JacORB twoway round trip, the same payload size, a servant and a caller in two JVMs;
     * then a plain TCP round trip, in two JVMs too.
     */
    Floor floor() throws Exception {
        long[] orb = roundTrips("floor", JacorbFloor.class);
        long[] tcp = roundTrips("floor-tcp", TcpFloor.class);
        return new Floor(orb[0], orb[1], orb[2], tcp[0], tcp[1]);
    }

    /**
     * One floor measurement: {@code main serve PORT} in one JVM, which prints {@code READY
     * ADDRESS}, then {@code main call ADDRESS SIZE WARMUP MSGS} in another, which prints {@code
     * RESULT p50_ns p99_ns max_ns}; returns those three.
     */
    private long[] roundTrips(String name, Class<?> main) throws Exception {
        List<ChildProcess> all = new ArrayList<>();
        try {
            ChildProcess server = ChildProcess.start(name + "-server", settings.jvmArgs(), main,
                    List.of("serve", Integer.toString(ChannelBench.freePort())));
            all.add(server);
            String address = server.await("READY ", START_MILLIS).substring("READY ".length());
            ChildProcess caller = ChildProcess.start(name + "-caller", settings.jvmArgs(), main,
                    List.of("call", address, Integer.toString(settings.size()), Integer.toString(Math.max(1000,
                            settings.warmup())), Integer.toString(settings.msgs())));
            all.add(caller);
            String[] r = caller.await("RESULT ", START_MILLIS + settings.msgs() * 100L).split(" ");
            return new long[] {Long.parseLong(r[1]), Long.parseLong(r[2]), Long.parseLong(r[3])};
        } finally {
            stopAll(all, false);
        }
    }

    private List<String> troupeJvm(String child, boolean server) {
        List<String> jvm = new ArrayList<>(settings.jvmArgs());
        if (server) {
            jvm.addAll(settings.serverJvmArgs());
        }
        if (settings.hopsDir() != null) {
            jvm.add("-Dtroupe.hops=" + settings.hopsDir().resolve(child + ".hops").toAbsolutePath());
        }
        if (settings.jfrDir() != null) { // one file per child: JDK 17 does not expand %p
            jvm.add("-XX:StartFlightRecording=settings=profile,filename="
                    + settings.jfrDir().resolve(child + ".jfr").toAbsolutePath());
        }
        return jvm;
    }

    /** Troupe: one figure per kind (and with a hosted member, its figures and the Java members'). */
    TroupeFigures troupe() throws Exception {
        Settings s = settings;
        int total = s.warmup() + s.msgs();
        Path dir = Files.createTempDirectory("troupe-bench-latency");
        List<ChildProcess> all = new ArrayList<>();
        BenchCluster cluster = null;
        // a JFR recording and the hop stamps are written when their JVM exits normally
        boolean graceful = s.jfrDir() != null || s.hopsDir() != null;
        try {
            String url;
            ApplicationProtocol protocol = protocol();
            ChildProcess server = null;
            String group = GROUP;
            if (s.servers() == 1) {
                int port = ChannelBench.freePort();
                server = ChildProcess.start("server", troupeJvm("server", true), org.troupe.cli.TroupeCli.class,
                        List.of("server", "--port", Integer.toString(port), "--no-naming", "--exit-with-parent"));
                all.add(server);
                server.await("troupe server ready", 30_000);
                url = "127.0.0.1:" + port;
                Troupe t = Troupe.connect(url);
                try {
                    t.createGroup(group, protocol, true);
                } finally {
                    t.close();
                    t.orb().destroy(); // no connection left to a server that goes away at the end
                }
            } else {
                List<String> jvm = new ArrayList<>(s.jvmArgs());
                jvm.addAll(s.serverJvmArgs());
                cluster = BenchCluster.start(s.servers(), jvm, i -> s.hopsDir() == null ? List.of()
                        : List.of("-Dtroupe.hops=" + s.hopsDir().resolve(BenchCluster.id(i) + ".hops").toAbsolutePath()));
                for (int i = 0; i < cluster.size(); i++) {
                    all.add(cluster.process(i));
                }
                url = cluster.addresses();
                List<String> names = cluster.spreadNames(GROUP, 1);
                group = names.get(0);
                cluster.createGroups(names, protocol);
                cluster.awaitPreferredLeaders(names);
            }
            Path board = dir.resolve("board");
            try (DeliveryBoard b = DeliveryBoard.open(board, 2, s.members())) {
                // created, zero-filled, before any member maps it
            }
            String kinds = String.join(",", Arrays.stream(s.kinds()).mapToObj(Integer::toString).toList());
            int sender = s.members() - 1;
            List<ChildProcess> members = new ArrayList<>();
            for (int i = 0; i < s.members(); i++) {
                List<String> args = new ArrayList<>(List.of("--server", url, "--group", group, "--index",
                        Integer.toString(i), "--members", Integer.toString(s.members()), "--msgs",
                        Integer.toString(total), "--size", Integer.toString(s.size()), "--kinds", kinds, "--board",
                        board.toString(), "--out", dir.resolve("member-" + i).toString()));
                if (i == sender) {
                    args.add("--sender");
                    args.addAll(List.of("--gap-ms", Integer.toString(s.gapMillis()), "--warmup",
                            Integer.toString(s.warmup())));
                }

                if (i == 0 && s.sequencer() == Sequencer.MEMBER) { // the only volunteer: it holds the sequencer
                    args.add("--sequencer");
                }
                boolean hosted = s.hosted() && i == HOSTED_INDEX;
                if (s.inline() && !hosted) {
                    args.add("--inline");
                }
                ChildProcess c = ChildProcess.start(hosted ? "hosted-" + i : "member-" + i, troupeJvm("member-" + i,
                        false), hosted ? LatencyHostedMember.class : LatencyMember.class, args);
                all.add(c);
                members.add(c);
                if (i == 0) { // the volunteer in first, so that it is the one that holds the sequencer
                    c.await("JOINED", START_MILLIS);
                }
            }
            for (ChildProcess c : members) {
                awaitReady(c, members, s);
            }
            for (ChildProcess c : members) {
                c.send("GO");
            }
            // generous: a member that makes no progress for a minute fails by itself and says why; a
            // sixteen-member cluster run on a loaded two-core machine has taken 60 ms a message
            long timeout = START_MILLIS + (long) total * s.kinds().length * (250 + s.gapMillis());
            for (ChildProcess c : members) {
                awaitLine(c, members, "DONE", timeout);
            }
            List<LatencyLog> logs = new ArrayList<>();
            for (int i = 0; i < s.members(); i++) {
                logs.add(LatencyLog.read(dir.resolve("member-" + i)));
            }
            if (graceful) {
                for (ChildProcess c : members) {
                    c.send("EXIT");
                }
                for (ChildProcess c : members) {
                    c.finish(30_000);
                }
                if (server != null) {
                    server.signal("TERM");
                    server.finish(30_000);
                }
                if (cluster != null) {
                    for (int i = 0; i < cluster.size(); i++) {
                        cluster.process(i).finish(30_000); // the end of stdin stops a cluster's server
                    }
                }
            }
            List<Figures> figures = new ArrayList<>();
            List<Figures> hosted = new ArrayList<>();
            List<Figures> java = new ArrayList<>();
            for (int kind : s.kinds()) {
                figures.add(analyse(KIND_NAMES[kind], kind, s.warmup(), total, logs, sender));
                if (s.hosted()) {
                    List<Integer> javaReceivers = new ArrayList<>();
                    for (int i = 0; i < s.members(); i++) {
                        if (i != sender && i != HOSTED_INDEX) {
                            javaReceivers.add(i);
                        }
                    }
                    hosted.add(atMembers(KIND_NAMES[kind], kind, s.warmup(), total, logs, sender, List.of(HOSTED_INDEX)));
                    java.add(atMembers(KIND_NAMES[kind], kind, s.warmup(), total, logs, sender, javaReceivers));
                }
            }
            // in a cluster, the group's leader is the server its members meet at
            String serverStamps = cluster == null ? "server" : cluster.preferredLeader(group);
            return new TroupeFigures(figures, hosted, java, hops(members, serverStamps, sender, total));
        } finally {
            stopAll(all, graceful);
            if (cluster != null) {
                cluster.close();
            }
            delete(dir);
        }
    }

    /**
     * With {@code --hops}: where each kind's time went, from the stamps the children wrote as they
     * exited; {@code serverStamps} names the file of the server the members meet at.
     */
    private List<String> hops(List<ChildProcess> members, String serverStamps, int sender, int total) throws Exception {
        Settings s = settings;
        if (s.hopsDir() == null) {
            return List.of();
        }
        List<HopReport.Process> processes = new ArrayList<>();
        List<String> names = new ArrayList<>(members.stream().map(ChildProcess::name).toList());
        names.add(serverStamps);
        for (String name : names) {
            Path file = s.hopsDir().resolve(name + ".hops");
            if (Files.exists(file)) {
                processes.add(new HopReport.Process(name.equals(serverStamps) ? "server" : name,
                        org.troupe.trace.HopTrace.read(file)));
            }
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < s.kinds().length; i++) {
            // the sender sends every kind's warm-up first, then every kind's measured messages
            int from = s.kinds().length * s.warmup() + i * s.msgs() - s.warmup();
            lines.addAll(HopReport.lines(KIND_NAMES[s.kinds()[i]], processes, members.get(sender).name(), from,
                    s.warmup(), total));
        }
        return lines;
    }

    /**
     * Waits for {@code c}'s line starting with {@code prefix}; fails at once, naming it, if any
     * process of {@code group} has exited meanwhile (the others would wait for it in vain).
     */
    static String awaitLine(ChildProcess c, List<ChildProcess> group, String prefix, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            try {
                return c.await(prefix, Math.max(1, Math.min(1000, left)));
            } catch (java.util.concurrent.TimeoutException e) {
                if (!c.isAlive()) {
                    throw e; // it says that its stdout ended, and the exit code
                }
                for (ChildProcess other : group) {
                    if (!other.isAlive()) {
                        throw new IllegalStateException(other.name() + " exited (its error, if any, is above) while "
                                + c.name() + " had not said " + prefix);
                    }
                }
                if (left <= 1000) {
                    throw new java.util.concurrent.TimeoutException(c.name() + ": no '" + prefix + "' line within "
                            + millis + " ms");
                }
            }
        }
    }

    /** Waits for a member's READY line and checks who holds the sequencer. */
    private static void awaitReady(ChildProcess c, List<ChildProcess> group, Settings s) throws Exception {
        String[] ready = awaitLine(c, group, "READY", FILL_MILLIS).split(" ");
        long holder = Long.parseLong(ready[1]);
        long me = Long.parseLong(ready[2]);
        if (c.name().equals("member-0") && s.sequencer() == Sequencer.MEMBER && holder != me) {
            throw new IllegalStateException("member-0 volunteered but member " + holder + " holds the sequencer");
        }
        if (s.sequencer() == Sequencer.SERVER && holder != 0) {
            throw new IllegalStateException("member " + holder + " holds the sequencer, not the server");
        }
    }

    /** JGroups SEQUENCER: the sequenced kind, the same way. */
    Figures jgroups() throws Exception {
        Settings s = settings;
        int total = s.warmup() + s.msgs();
        Path dir = Files.createTempDirectory("troupe-bench-latency-jgroups");
        List<ChildProcess> all = new ArrayList<>();
        try {
            Path board = dir.resolve("board");
            try (DeliveryBoard b = DeliveryBoard.open(board, 2, s.members())) {
                // created before any member maps it
            }
            org.troupe.bench.jgroups.JGroupsPorts ports = org.troupe.bench.jgroups.JGroupsPorts.pick(s.members());
            List<String> extra = TotalOrderBench.jgroupsClassPath();
            int sender = s.members() - 1; // the first member is the coordinator, the one that orders
            for (int i = 0; i < s.members(); i++) {
                all.add(ChildProcess.start("jgroups-" + i, s.jvmArgs(), "org.troupe.bench.jgroups.LatencyJGroupsMember",
                        extra, List.of("--index", Integer.toString(i), "--members", Integer.toString(s.members()),
                                "--msgs", Integer.toString(total), "--size", Integer.toString(s.size()),
                                "--board", board.toString(), "--out", dir.resolve("member-" + i).toString(),
                                "--ports", ports.portList(), "--fd-offset", Integer.toString(ports.fdOffset()),
                                "--cluster", "troupe-latency-" + ProcessHandle.current().pid(),
                                "--sender", Boolean.toString(i == sender), "--gap-ms",
                                Integer.toString(s.gapMillis()))));
            }
            for (ChildProcess c : all) {
                awaitLine(c, all, "READY", FILL_MILLIS);
            }
            for (ChildProcess c : all) {
                c.send("GO");
            }
            for (ChildProcess c : all) {
                awaitLine(c, all, "DONE", START_MILLIS + total * (250L + s.gapMillis()));
            }
            List<LatencyLog> logs = new ArrayList<>();
            for (int i = 0; i < s.members(); i++) {
                logs.add(LatencyLog.read(dir.resolve("member-" + i)));
            }
            return analyse("sequenced", LatencyDriver.SEQUENCED, s.warmup(), total, logs, sender);
        } finally {
            stopAll(all, false);
            delete(dir);
        }
    }

    /**
     * One kind's figures from the members' logs: fails, saying which member and message, if any
     * member has a problem (a message delivered out of order, twice, or not at all) or a latency
     * is not positive. Messages before {@code warmup} are left out of the figures (not the checks).
     */
    static Figures analyse(String kindName, int kind, int warmup, int total, List<LatencyLog> logs, int sender) {
        List<String> problems = new ArrayList<>();
        for (int m = 0; m < logs.size(); m++) {
            LatencyLog log = logs.get(m);
            if (log.problem() != null) {
                problems.add("member " + m + ": " + log.problem());
            } else if (log.count(kind) != total) {
                problems.add("member " + m + " delivered " + log.count(kind) + " of " + total + " " + kindName
                        + " messages: message " + log.count(kind) + " was lost");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("bench latency " + kindName + ": " + String.join("; ", problems));
        }
        long[] sends = logs.get(sender).sends(kind);
        List<long[]> deliveries = new ArrayList<>();
        for (LatencyLog log : logs) {
            deliveries.add(log.deliveries(kind));
        }
        long[] latencies = new long[total - warmup];
        for (int k = warmup; k < total; k++) {
            long last = Long.MIN_VALUE;
            for (long[] d : deliveries) {
                last = Math.max(last, d[k]);
            }
            long latency = last - sends[k];
            if (latency <= 0) {
                throw new IllegalStateException("bench latency " + kindName + ": message " + k + " delivered "
                        + latency + " ns after it was sent (not after)");
            }
            latencies[k - warmup] = latency;
        }
        if (latencies.length == 0) {
            throw new IllegalStateException("bench latency " + kindName + ": nothing measured");
        }
        return Figures.of(kindName, latencies);
    }

    /**
     * The latency at some members only (after {@link #analyse} checked the run): each message's
     * delivery at each of {@code at} minus its send, pooled.
     */
    static Figures atMembers(String kindName, int kind, int warmup, int total, List<LatencyLog> logs, int sender,
            List<Integer> at) {
        long[] sends = logs.get(sender).sends(kind);
        long[] latencies = new long[(total - warmup) * at.size()];
        int n = 0;
        for (int m : at) {
            long[] d = logs.get(m).deliveries(kind);
            for (int k = warmup; k < total; k++) {
                latencies[n++] = d[k] - sends[k];
            }
        }
        return Figures.of(kindName, latencies);
    }

    private static void stopAll(List<ChildProcess> all, boolean graceful) throws Exception {
        // Frozen, then killed: an orderly end is noisy (members leaving make the server push views
        // to members shutting down; a member killed makes the server log a lost peer)
        for (ChildProcess c : all) {
            if (c.isAlive() && !graceful) {
                c.signal("STOP");
            }
        }
        for (ChildProcess c : all) {
            c.close();
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
