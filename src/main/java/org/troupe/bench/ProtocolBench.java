package org.troupe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.troupe.member.Troupe;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.protocol.RoleDef;
import org.troupe.protocol.TypeRule;

/**
 * {@code troupe bench protocol}: the implied-order optimisation (responses and turns skip the
 * sequencer), measured. A Teacher and N Students, each in its own JVM with its own ORB
 * ({@link ProtocolBenchMember}), and a Troupe server in another; the Teacher asks Questions one
 * round at a time and every Student answers each.
 *
 * <pre>
 *  Question (sequenced): Teacher --publish--> server --Message--> sequencer holder --order--> server --order event--> Students
 *  Answer   (reactive):  Student --publish--> server --Message (after = its Question's place)--> Teacher
 * </pre>
 *
 * With {@code --sequencer teacher} (the default) the Teacher holds the group's sequencer, so a
 * sequenced message makes the real round trip through a member; with {@code --sequencer server}
 * the server orders. The same run is then repeated with the optimisation off (the group created
 * with {@code impliedOrder=false}: every message goes through the sequencer, Answers included).
 *
 * <p>Figures (warm-up rounds excluded from latencies): {@code sequenced} is every delivery of a
 * Question at a Student, from the Teacher's send; {@code reactive} is every delivery of an
 * Answer at the Teacher, from its Student's send. Latency is measured across JVMs with
 * {@link ProtocolBenchMember.Stamp} (epoch-anchored nanoTime). {@code events_per_msg} is the
 * channel events the receivers spent on that type ({@code ChannelStats.events}: Message events
 * plus their share of order events) divided by the deliveries of that type at them, over every
 * round (a per-message ratio: warm-up rounds cost the same as measured ones; views are counted
 * apart and left out).
 */
public final class ProtocolBench {
    /** Where the group's sequencer is. */
    public enum Sequencer {
        /** The Teacher volunteers and holds it. */
        TEACHER,
        /** Nobody volunteers: the server orders. */
        SERVER
    }

    /** What to run. */
    public record Settings(String protocol, int students, int questions, int warmup, int size, Sequencer sequencer,
            List<String> jvmArgs) {
        public Settings {
            if (students < 1) {
                throw new IllegalArgumentException("--students must be at least 1");
            }
            if (questions < 1) {
                throw new IllegalArgumentException("--questions must be at least 1");
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("--warmup must be 0 or more");
            }
            if (size < ProtocolBenchMember.ANSWER_HEADER) {
                throw new IllegalArgumentException("--size must be at least " + ProtocolBenchMember.ANSWER_HEADER
                        + " (round, student and send time)");
            }
            jvmArgs = List.copyOf(jvmArgs);
        }
    }

    /** One kind of message's figures. */
    public record Figures(String kind, int msgs, long p50us, long p99us, double eventsPerMsg) {
        public String line(String protocol, int students) {
            return String.format(Locale.ROOT,
                    "troupe bench=protocol protocol=%s students=%d kind=%s msgs=%d p50_us=%d p99_us=%d events_per_msg=%.2f",
                    protocol, students, kind, msgs, p50us, p99us, eventsPerMsg);
        }
    }

    /** One run (optimised or not): both kinds' figures and what the guarantees check found. */
    public record Run(boolean impliedOrder, Figures sequenced, Figures reactive, List<String> problems,
            List<String> notes) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** The run's check line (stderr). */
        public String checkLine(int students, int rounds) {
            String run = impliedOrder ? "optimised" : "unoptimised";
            if (ok()) {
                return "# protocol bench run=" + run + " check=OK: every Question delivered once at each of " + students
                        + " Students (" + rounds + " rounds, one order everywhere), every Answer delivered once at the"
                        + " Teacher, each after its Question was sent and after its Question's place in the order";
            }
            return "# protocol bench run=" + run + " check=FAILED: " + String.join("; ", problems);
        }
    }

    /** Both runs. */
    public record Report(String protocol, int students, int rounds, Run optimised, Run unoptimised) {
        /** The three machine-readable lines. */
        public List<String> lines() {
            Figures unopt = unoptimised.reactive();
            return List.of(optimised.sequenced().line(protocol, students), optimised.reactive().line(protocol, students),
                    new Figures("reactive-unoptimised", unopt.msgs(), unopt.p50us(), unopt.p99us(), unopt.eventsPerMsg())
                            .line(protocol, students));
        }

        public boolean ok() {
            return optimised.ok() && unoptimised.ok();
        }
    }

    private static final long START_TIMEOUT_MS = 120_000;
    private final Settings settings;

    public ProtocolBench(Settings settings) {
        this.settings = settings;
    }

    /** Loads the protocol and checks it has the tele-teaching Question/Answer pattern the bench drives. */
    static ApplicationProtocol protocol(String nameOrPath, int students) throws Exception {
        ApplicationProtocol p = ProtocolLoader.load(nameOrPath);
        List<String> missing = new ArrayList<>();
        for (String role : List.of(ProtocolBenchMember.TEACHER, ProtocolBenchMember.STUDENT)) {
            if (p.role(role) == null) {
                missing.add("role " + role);
            }
        }
        RoleDef teacher = p.role(ProtocolBenchMember.TEACHER);
        if (teacher != null && teacher.max() < 1) {
            missing.add("room for a Teacher (max 0)");
        }
        RoleDef student = p.role(ProtocolBenchMember.STUDENT);
        if (student != null && student.max() < students) {
            missing.add("room for " + students + " Students (max " + student.maxText() + ")");
        }
        TypeRule q = p.rule(ProtocolBenchMember.QUESTION);
        if (q == null || !q.isQuery() || !q.allows(ProtocolBenchMember.TEACHER)) {
            missing.add("a Question the Teacher asks (a query)");
        }
        TypeRule a = p.rule(ProtocolBenchMember.ANSWER);
        if (a == null || a.kind() != TypeRule.Kind.REACTIVE || !a.answers().contains(ProtocolBenchMember.QUESTION)
                || !a.allows(ProtocolBenchMember.STUDENT)) {
            missing.add("an Answer the Students give to a Question (a response)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("bench protocol drives the tele-teaching pattern (a Teacher asks "
                    + "Questions, Students answer them); protocol " + p.name() + " lacks: " + String.join("; ", missing));
        }
        return p;
    }

    /** The optimised run, then the unoptimised one. */
    public Report run() throws Exception {
        ApplicationProtocol p = protocol(settings.protocol(), settings.students());
        Run optimised = run(p, true);
        Run unoptimised = run(p, false);
        return new Report(p.name(), settings.students(), settings.warmup() + settings.questions(), optimised,
                unoptimised);
    }

    private Run run(ApplicationProtocol protocol, boolean impliedOrder) throws Exception {
        int students = settings.students();
        int rounds = settings.warmup() + settings.questions();
        Path dir = Files.createTempDirectory("troupe-bench-protocol");
        List<ChildProcess> all = new ArrayList<>();
        try {
            int port = ChannelBench.freePort();
            ChildProcess server = ChildProcess.start("server", settings.jvmArgs(), org.troupe.cli.TroupeCli.class,
                    List.of("server", "--port", Integer.toString(port), "--no-naming", "--exit-with-parent"));
            all.add(server);
            server.await("troupe server ready", 30_000);
            String url = "127.0.0.1:" + port;
            String group = "bench-protocol";
            Troupe t = Troupe.connect(url);
            try {
                t.createGroup(group, protocol, impliedOrder);
            } finally {
                t.close();
                // and close its connection now: a connection left to the server killed at the end of
                // this run would be reported lost by JacORB (a WARN in the middle of the output)
                t.orb().destroy();
            }
            List<ChildProcess> members = new ArrayList<>();
            // the Teacher first: with --sequencer teacher it is the only volunteer, so it holds the sequencer
            members.add(member(all, url, group, ProtocolBenchMember.TEACHER, 0, rounds, dir));
            for (int i = 0; i < students; i++) {
                members.add(member(all, url, group, ProtocolBenchMember.STUDENT, i, rounds, dir));
            }
            for (ChildProcess c : members) {
                await(c, "READY", START_TIMEOUT_MS);
            }
            for (int i = members.size() - 1; i >= 0; i--) { // Students first: they must be listening
                members.get(i).send("GO");
            }
            long timeout = START_TIMEOUT_MS + rounds * 1000L;
            for (ChildProcess c : members) {
                await(c, "DONE", timeout);
            }
            List<String> teacherLines = Files.readAllLines(file(dir, ProtocolBenchMember.TEACHER, 0), StandardCharsets.UTF_8);
            List<List<String>> studentLines = new ArrayList<>();
            for (int i = 0; i < students; i++) {
                studentLines.add(Files.readAllLines(file(dir, ProtocolBenchMember.STUDENT, i), StandardCharsets.UTF_8));
            }
            return analyse(impliedOrder, students, settings.warmup(), rounds,
                    settings.sequencer() == Sequencer.TEACHER, teacherLines, studentLines);
        } finally {
            // Frozen (the server first), then killed: nothing is left to flush, and any orderly end
            // is noisy in the middle of the bench's output (members leaving make the server push
            // views to members shutting down; a member killed or a server stopped makes the other
            // side log a lost peer). Frozen processes notice nothing before they die.
            for (ChildProcess c : all) {
                if (c.isAlive()) {
                    c.signal("STOP");
                }
            }
            for (ChildProcess c : all) {
                c.close();
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Waits for a line, but fails as soon as the child has died (it says why on stderr). */
    private static void await(ChildProcess c, String prefix, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            try {
                c.await(prefix, Math.max(1, Math.min(1000, left)));
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                if (!c.isAlive()) {
                    throw new IllegalStateException(c.name() + " exited before its " + prefix + " line (its error, if"
                            + " any, is above)");
                }
                if (left <= 1000) {
                    throw new java.util.concurrent.TimeoutException(c.name() + ": no " + prefix + " line within "
                            + timeoutMillis + " ms");
                }
            }
        }
    }

    private static Path file(Path dir, String role, int index) {
        return dir.resolve(role.toLowerCase(Locale.ROOT) + "-" + index);
    }

    private ChildProcess member(List<ChildProcess> all, String url, String group, String role, int index, int rounds,
            Path dir) throws IOException {
        List<String> args = new ArrayList<>(List.of("--server", url, "--group", group, "--role", role, "--index",
                Integer.toString(index), "--students", Integer.toString(settings.students()), "--rounds",
                Integer.toString(rounds), "--size", Integer.toString(settings.size()), "--out",
                file(dir, role, index).toString()));
        if (role.equals(ProtocolBenchMember.TEACHER) && settings.sequencer() == Sequencer.TEACHER) {
            args.add("--sequencer");
        }
        String name = role.equals(ProtocolBenchMember.TEACHER) ? "teacher" : "student-" + index;
        ChildProcess c = ChildProcess.start(name, settings.jvmArgs(), ProtocolBenchMember.class, args);
        all.add(c);
        return c;
    }

    /**
     * Reads the members' records ({@link ProtocolBenchMember}'s format), checks the guarantees and
     * computes the figures. Package-private for tests.
     */
    static Run analyse(boolean impliedOrder, int students, int warmup, int rounds, boolean teacherSequencer,
            List<String> teacherLines, List<List<String>> studentLines) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String run = impliedOrder ? "optimised" : "unoptimised";

        // --- the Teacher ---
        long[] asked = new long[rounds];
        long[][] answerSend = new long[rounds][students];
        long[][] answerDeliver = new long[rounds][students];
        long[][] answerPlace = new long[rounds][students];
        int[][] answerCount = new int[rounds][students];
        Map<String, Double> teacherEvents = new HashMap<>();
        int teacherAnswers = 0;
        for (String line : teacherLines) {
            String[] f = line.split(" ", 2);
            String[] v = line.split(" ");
            switch (f[0]) {
                case "asked" -> asked[Integer.parseInt(v[1])] = Long.parseLong(v[2]);
                case "answer" -> {
                    int r = Integer.parseInt(v[1]);
                    int s = Integer.parseInt(v[2]);
                    if (r < 0 || r >= rounds || s < 0 || s >= students) {
                        problems.add("the Teacher delivered an Answer of round " + r + " from student " + s
                                + ", which no Student sent");
                        continue;
                    }
                    teacherAnswers++;
                    answerCount[r][s]++;
                    answerSend[r][s] = Long.parseLong(v[3]);
                    answerDeliver[r][s] = Long.parseLong(v[4]);
                    answerPlace[r][s] = Long.parseLong(v[5]);
                    boolean sequenced = Boolean.parseBoolean(v[6]);
                    if (sequenced == impliedOrder) {
                        problems.add("an Answer was " + (sequenced ? "" : "not ") + "sequenced with the optimisation "
                                + (impliedOrder ? "on" : "off"));
                    }
                }
                case "query" -> {
                    if (!v[2].equals("COMPLETE")) {
                        problems.add("the Teacher's query of round " + v[1] + " ended " + v[2] + " with " + v[3]
                                + " responses");
                    }
                }
                case "events" -> teacherEvents.put(v[1], Double.parseDouble(v[2]));
                case "view" -> problems.add("the Teacher saw a view change mid-run (view " + v[1] + ", " + v[2]
                        + " members)");
                case "other" -> problems.add("the Teacher delivered a " + v[1]);
                case "question" -> notes.add("the Teacher delivered its own Question");
                case "sequencer" -> {
                    long holder = Long.parseLong(v[1]);
                    long me = Long.parseLong(v[2]);
                    if (teacherSequencer && holder != me) {
                        problems.add("the Teacher (member " + me + ") does not hold the sequencer (member " + holder
                                + " does)");
                    } else if (!teacherSequencer && holder != 0) {
                        problems.add("member " + holder + " holds the sequencer, not the server");
                    }
                }
                case "layers" -> notes.add("Teacher layers: " + f[1]);
                case "stats" -> notes.add("Teacher channel: " + f[1]);
                default -> {
                }
            }
        }
        for (int r = 0; r < rounds; r++) {
            if (asked[r] == 0) {
                problems.add("the Teacher did not ask round " + r);
            }
        }

        // --- the Students ---
        long[] questionPlace = new long[rounds];
        Arrays.fill(questionPlace, -1);
        List<Long> sequenced = new ArrayList<>();
        double studentQuestionEvents = 0;
        double studentAnswerEvents = 0; // Students are not sent Answers, but are sent their orders when sequenced
        int studentQuestions = 0;
        for (int s = 0; s < students; s++) {
            int[] count = new int[rounds];
            long[] deliver = new long[rounds];
            int lastRound = -1;
            for (String line : studentLines.get(s)) {
                String[] f = line.split(" ", 2);
                String[] v = line.split(" ");
                switch (f[0]) {
                    case "question" -> {
                        int r = Integer.parseInt(v[1]);
                        if (r < 0 || r >= rounds) {
                            problems.add("student " + s + " delivered a Question of round " + r + ", never asked");
                            continue;
                        }
                        studentQuestions++;
                        count[r]++;
                        if (r < lastRound) {
                            problems.add("student " + s + " delivered round " + r + "'s Question after round " + lastRound
                                    + "'s");
                        }
                        lastRound = Math.max(lastRound, r);
                        long send = Long.parseLong(v[2]);
                        deliver[r] = Long.parseLong(v[3]);
                        long place = Long.parseLong(v[4]);
                        if (!Boolean.parseBoolean(v[5])) {
                            problems.add("student " + s + " delivered an unsequenced Question");
                        }
                        if (send != asked[r]) {
                            problems.add("student " + s + " delivered round " + r + "'s Question with another send"
                                    + " stamp than the Teacher's");
                        }
                        if (questionPlace[r] == -1) {
                            questionPlace[r] = place;
                        } else if (questionPlace[r] != place) {
                            problems.add("round " + r + "'s Question is at sequence id " + place + " at student " + s
                                    + " but at " + questionPlace[r] + " at another Student");
                        }
                        if (deliver[r] < send) {
                            problems.add("student " + s + " delivered round " + r + "'s Question "
                                    + (send - deliver[r]) / 1000 + " us before it was sent (clock anchors disagree?)");
                        }
                        if (r >= warmup && count[r] == 1) {
                            sequenced.add(deliver[r] - send);
                        }
                    }
                    case "answer" -> problems.add("student " + s + " delivered an Answer (addressed to the Teacher)");
                    case "other" -> problems.add("student " + s + " delivered a " + v[1]);
                    case "view" -> problems.add("student " + s + " saw a view change mid-run (view " + v[1] + ")");
                    case "events" -> {
                        if (v[1].equals(ProtocolBenchMember.QUESTION)) {
                            studentQuestionEvents += Double.parseDouble(v[2]);
                        } else if (v[1].equals(ProtocolBenchMember.ANSWER)) {
                            studentAnswerEvents += Double.parseDouble(v[2]);
                        }
                    }
                    case "layers" -> {
                        if (s == 0) {
                            notes.add("Student layers: " + f[1]);
                        }
                    }
                    case "stats" -> {
                        if (s == 0) {
                            notes.add("student-0 channel: " + f[1]);
                        }
                    }
                    default -> {
                    }
                }
            }
            for (int r = 0; r < rounds; r++) {
                if (count[r] == 0) {
                    problems.add("student " + s + " never delivered round " + r + "'s Question");
                } else if (count[r] > 1) {
                    problems.add("student " + s + " delivered round " + r + "'s Question " + count[r] + " times");
                }
            }
        }

        // --- the Answers against their Questions ---
        List<Long> reactive = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < students; s++) {
                if (answerCount[r][s] == 0) {
                    problems.add("the Teacher never delivered student " + s + "'s Answer to round " + r);
                    continue;
                }
                if (answerCount[r][s] > 1) {
                    problems.add("the Teacher delivered student " + s + "'s Answer to round " + r + " "
                            + answerCount[r][s] + " times");
                }
                if (answerDeliver[r][s] < asked[r]) {
                    problems.add("the Teacher delivered student " + s + "'s Answer to round " + r
                            + " before it sent the Question");
                }
                if (questionPlace[r] >= 0 && answerPlace[r][s] < questionPlace[r]) {
                    problems.add("the Teacher delivered student " + s + "'s Answer to round " + r + " at place "
                            + answerPlace[r][s] + ", before its Question's sequence id " + questionPlace[r]);
                }
                if (answerDeliver[r][s] < answerSend[r][s]) {
                    problems.add("the Teacher delivered student " + s + "'s Answer to round " + r + " "
                            + (answerSend[r][s] - answerDeliver[r][s]) / 1000
                            + " us before it was sent (clock anchors disagree?)");
                }
                if (r >= warmup && answerCount[r][s] >= 1) {
                    reactive.add(answerDeliver[r][s] - answerSend[r][s]);
                }
            }
        }
        if (problems.size() > 20) {
            int more = problems.size() - 20;
            problems.subList(20, problems.size()).clear();
            problems.add("and " + more + " more");
        }
        Figures seq = figures("sequenced", sequenced, studentQuestionEvents, studentQuestions);
        Figures rea = figures(impliedOrder ? "reactive" : "reactive-unoptimised", reactive,
                teacherEvents.getOrDefault(ProtocolBenchMember.ANSWER, 0.0), teacherAnswers);
        notes.add(0, "run=" + run + " " + seq.line("-", students).replaceFirst(".*kind=", "kind=") + "; "
                + rea.line("-", students).replaceFirst(".*kind=", "kind="));
        // the whole group's cost, not just the receivers': with the optimisation off every Student is
        // also sent each Answer's order
        notes.add(1, String.format(Locale.ROOT, "run=%s group-wide channel events per delivered message: Question %.2f,"
                + " Answer %.2f", run,
                (studentQuestionEvents + teacherEvents.getOrDefault(ProtocolBenchMember.QUESTION, 0.0))
                        / Math.max(1, studentQuestions),
                (teacherEvents.getOrDefault(ProtocolBenchMember.ANSWER, 0.0) + studentAnswerEvents)
                        / Math.max(1, teacherAnswers)));
        return new Run(impliedOrder, seq, rea, List.copyOf(problems), List.copyOf(notes));
    }

    private static Figures figures(String kind, List<Long> latenciesNanos, double events, int deliveries) {
        long[] sorted = new long[latenciesNanos.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = latenciesNanos.get(i);
        }
        Arrays.sort(sorted);
        long p50 = sorted.length == 0 ? -1 : sorted[sorted.length / 2] / 1000;
        long p99 = sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1000;
        return new Figures(kind, sorted.length, p50, p99, deliveries == 0 ? 0 : events / deliveries);
    }
}
