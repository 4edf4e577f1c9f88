package org.troupe.apps.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.protocol.ProtocolLoader;

/**
 * {@code troupe demo failover}: a tele-teaching class on a cluster of three servers survives the
 * loss of the server that leads it. Every server and every participant is a process of its own
 * ({@code troupe server}, {@code troupe teach}, {@code troupe learn}, each given all three
 * servers). The script: a Question that the three Students answer; a second Question, during
 * which the Teacher writes a proof on the board one line every {@value #LINE_EVERY_MS} ms, and
 * the server that leads the class is killed with SIGKILL once the first Answer and two lines of
 * the proof are in (the other Students answer later, so the Question is still open); the class
 * goes on (the other Answers come, every Student gets every line of the proof once and in order,
 * nobody leaves the view), and the demo prints how long deliveries paused at each Student.
 *
 * <pre>
 *  demo JVM (this script)
 *     |-- s1, s2, s3   troupe server --id sN --peers s1=..,s2=..,s3=.. --data DIR/sN   (one leads math-101)
 *     |-- tess         troupe teach  --server s1,s2,s3   (stdin: ask / formula / quit)
 *     '-- ann bob cy   troupe learn  --server s1,s2,s3 --auto-answer 300 / 900 / 1500
 * </pre>
 */
public final class FailoverDemo {
    private static final long WAIT_MS = 60_000;
    private static final String GROUP = "math-101";
    /** The proof's steps, one line of the board each. */
    private static final String[] PROOF = {"let a and b be odd", "then a = 2m + 1 for an integer m",
        "and b = 2n + 1 for an integer n", "a + b = (2m + 1) + (2n + 1)", "= 2m + 2n + 2", "= 2(m + n + 1)",
        "m + n + 1 is an integer", "so a + b is twice an integer", "so a + b is even", "QED"};
    private static final int PROOF_LINES = PROOF.length;
    private static final long LINE_EVERY_MS = 100;
    private static final String HOST = "127.0.0.1";

    private final PrintWriter out;
    private final List<Participant> all = new ArrayList<>();
    private final Participant[] servers = new Participant[3];
    private String url;

    private FailoverDemo(PrintWriter out) {
        this.out = out;
    }

    /** Runs the demo, printing to {@code out}; returns 0 when the class went on as scripted. */
    public static int run(PrintWriter out) throws Exception {
        return new FailoverDemo(out).run();
    }

    private int run() throws Exception {
        long t0 = System.nanoTime();
        Path data = Files.createTempDirectory("troupe-demo-failover");
        try {
            startServers(data);
            try (Troupe admin = Troupe.connect(url)) {
                createClass(admin);
                return lesson(admin, t0);
            }
        } finally {
            all.forEach(Participant::close);
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void startServers(Path data) throws Exception {
        Set<Integer> taken = new HashSet<>();
        int[] ports = new int[3];
        StringBuilder peers = new StringBuilder();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports[i] = freePort(taken);
            peers.append(i == 0 ? "" : ",").append(id(i)).append('=').append(HOST).append(':').append(ports[i])
                    .append(':').append(freePort(taken));
            addresses.add(HOST + ":" + ports[i]);
        }
        url = String.join(",", addresses);
        say("failover demo: three servers s1, s2, s3 (" + url + "), each a JVM of its own with its Raft log on disk;"
                + " a class " + GROUP + " whose Teacher and Students each know all three");
        for (int i = 0; i < 3; i++) {
            servers[i] = Participant.start(id(i), List.of("server", "--host", HOST, "--port", Integer.toString(ports[i]),
                    "--no-naming", "--exit-with-parent", "--id", id(i), "--peers", peers.toString(), "--data",
                    data.resolve(id(i)).toString()), null);
            all.add(servers[i]);
        }
        for (Participant s : servers) {
            s.next("troupe server ready", WAIT_MS);
        }
    }

    /** Creates the class through any server, trying again while the cluster elects its first leaders. */
    private void createClass(Troupe admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (true) {
            try {
                admin.createGroup(GROUP, ProtocolLoader.load("tele-teaching"));
                return;
            } catch (TroupeException e) {
                if (e.getMessage().endsWith("exists already")) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private int lesson(Troupe admin, long t0) throws Exception {
        GroupInfo before = awaitLeader(admin, null);
        say("the class " + GROUP + " is led by " + before.leader + " (Raft term " + before.term + "): its manager, "
                + "sequencer and channel are there, the other two hold copies");
        Participant tess = start("tess", "teach", "--name", "tess");
        Participant ann = start("ann", "learn", "--name", "ann", "--auto-answer", "300");
        Participant bob = start("bob", "learn", "--name", "bob", "--auto-answer", "900");
        Participant cy = start("cy", "learn", "--name", "cy", "--auto-answer", "1500");
        List<Participant> students = List.of(ann, bob, cy);
        tess.next(l -> l.startsWith("VIEW") && l.contains("joined=cy"), "view with cy", WAIT_MS);

        say("a Question: the three Students answer by themselves");
        tess.send("ask What is 7 x 6?");
        String q1 = label(tess.next("ASKED ", WAIT_MS));
        String s1 = tess.any("SUMMARY " + q1, WAIT_MS);

        say("a second Question, and tess writes a proof on the board, a line every " + LINE_EVERY_MS + " ms; "
                + "once the first Answer and two lines are in, " + before.leader + " is killed (SIGKILL)");
        tess.send("ask Why is the sum of two odd numbers even?");
        String q2 = label(tess.next("ASKED ", WAIT_MS));
        Thread board = new Thread(() -> writeProof(tess), "demo-board");
        board.setDaemon(true);
        board.start();
        tess.next("ANSWER " + q2 + " ann", WAIT_MS);
        ann.next(l -> l.startsWith("FORMULA ") && l.contains("proof 2/"), "the proof's second line", WAIT_MS);
        Participant victim = servers[Integer.parseInt(before.leader.substring(1)) - 1];
        long killed = System.nanoTime();
        victim.kill();
        say("killed " + before.leader + " (SIGKILL) mid-question");
        GroupInfo after = awaitLeader(admin, before.leader);
        long electedMs = (System.nanoTime() - killed) / 1_000_000;
        say(after.leader + " leads the class now (term " + after.term + "), " + electedMs + " ms after the kill; "
                + "the members moved to it by themselves");
        String s2 = tess.any("SUMMARY " + q2, WAIT_MS);
        for (Participant s : students) {
            s.next(l -> l.startsWith("FORMULA ") && l.contains("proof " + PROOF_LINES + "/" + PROOF_LINES),
                    "the proof's last line", WAIT_MS);
        }
        board.join(WAIT_MS);

        List<String> pauses = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Participant s : students) {
            List<Participant.Line> proof = s.lines("FORMULA ");
            List<String> got = proof.stream().map(l -> l.text().replaceAll("^FORMULA F\\d+ tess: ", "")).toList();
            List<String> want = new ArrayList<>();
            for (int i = 1; i <= PROOF_LINES; i++) {
                want.add(proofLine(i));
            }
            if (!got.equals(want)) {
                wrong.add(s.name() + " got " + got.size() + " lines, not the " + PROOF_LINES + " in order");
            }
            pauses.add(s.name() + " " + longestGapMs(proof, killed) + " ms");
        }
        List<String> views = new ArrayList<>();
        for (Participant p : List.of(tess, ann, bob, cy)) {
            p.lines("VIEW").stream().map(Participant.Line::text)
                    .filter(l -> l.contains(" left=") || l.contains(" crashed="))
                    .forEach(l -> views.add(p.name() + ": " + l));
        }

        List<String> exits = Participant.quitAll(List.of(ann, bob, cy, tess), WAIT_MS);
        exits.forEach(this::say);
        int bad = exits.size();
        say("summary");
        say("  " + s1);
        say("  " + s2);
        say("  " + before.leader + " (the class's leader) was killed with SIGKILL mid-question; " + after.leader
                + " took over (term " + after.term + ")");
        say("  deliveries paused: " + String.join(", ", pauses) + " (the longest gap between two lines of the proof "
                + "around the kill; one was posted every " + LINE_EVERY_MS + " ms)");
        say("  " + (wrong.isEmpty() ? "every Student got all " + PROOF_LINES + " lines of the proof, once and in order"
                : String.join("; ", wrong)));
        say("  " + (views.isEmpty() ? "nobody left the class: no view change came from the server's death"
                : "view changes: " + String.join("; ", views)));
        say("  3 servers and 4 participants, each a process; " + (System.nanoTime() - t0) / 1_000_000 + " ms in all");
        return bad == 0 && s1.contains("COMPLETE") && s2.contains("COMPLETE") && answeredByAll(s2) && wrong.isEmpty()
                && views.isEmpty() ? 0 : 1;
    }

    /** A summary whose answers came from ann, bob and cy, in any order. */
    private static boolean answeredByAll(String summary) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" answered=(\\S+)").matcher(summary);
        return m.find() && Set.of(m.group(1).split(",")).equals(Set.of("ann", "bob", "cy"));
    }

    /** The Teacher writes the proof, one line every {@value #LINE_EVERY_MS} ms. */
    private void writeProof(Participant tess) {
        try {
            long start = System.nanoTime();
            for (int i = 1; i <= PROOF_LINES; i++) {
                long due = start + TimeUnit.MILLISECONDS.toNanos(LINE_EVERY_MS * (i - 1));
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                tess.send("formula " + proofLine(i));
            }
        } catch (IOException e) {
            say("tess stopped taking lines: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String proofLine(int i) {
        return "proof " + i + "/" + PROOF_LINES + ": " + PROOF[i - 1];
    }

    /** The longest gap between two consecutive lines that ends after {@code killed}, in ms. */
    static long longestGapMs(List<Participant.Line> lines, long killed) {
        long longest = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).nanos() > killed) {
                longest = Math.max(longest, lines.get(i).nanos() - lines.get(i - 1).nanos());
            }
        }
        return longest / 1_000_000;
    }

    /** The class's entry once it has a leader other than {@code not}. */
    private static GroupInfo awaitLeader(Troupe admin, String not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (true) {
            try {
                for (GroupInfo g : admin.groups()) {
                    if (g.name.equals(GROUP) && !g.leader.isEmpty() && !g.leader.equals(not)) {
                        return g;
                    }
                }
            } catch (TroupeException e) {
                // no server answered just now
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("no leader for " + GROUP + (not == null ? "" : " other than " + not)
                        + " within " + WAIT_MS + " ms");
            }
            Thread.sleep(20);
        }
    }

    private Participant start(String name, String... args) throws IOException, TimeoutException,
            InterruptedException {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--server", url, "--group", GROUP));
        Participant p = Participant.start(name, a, out);
        all.add(p);
        p.next("JOINED", WAIT_MS);
        return p;
    }

    private static int freePort(Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (taken.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no free port found on " + HOST);
    }

    private static String id(int i) {
        return "s" + (i + 1);
    }

    private void say(String s) {
        synchronized (out) {
            out.println("== " + s);
            out.flush();
        }
    }

    /** The label (Q12, F14) of a line "ASKED Q12: text". */
    private static String label(String line) {
        return line.substring(line.indexOf(' ') + 1, line.indexOf(':'));
    }
}
