package org.troupe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.troupe.member.Group;
import org.troupe.member.JoinOptions;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.model.ChannelStats;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/**
 * One member of {@code bench protocol} (the tele-teaching Teacher or one Student), in its own
 * JVM with its own ORB. Protocol on stdout: {@code READY} once the view holds the Teacher and
 * every Student, then (after {@code GO} on stdin) the Teacher asks its rounds of Questions and
 * each Student answers every Question it delivers; {@code DONE} once this member has done its
 * part and written its record file; {@code EXIT} (or EOF) ends it.
 *
 * <p>The Teacher's round: it asks a Question (payload: round, send stamp, padding to the size),
 * then receives until every Student's Answer of that round is delivered, then waits for the
 * query's handle to complete. A Student delivers a Question and replies with an Answer
 * (payload: round, its index, send stamp, padding). Every delivery is stamped the moment
 * {@link Group#receive} returns it.
 *
 * <p>The record file is text, one fact a line (see {@link ProtocolBench} for how it is read):
 * <pre>
 *  asked ROUND SEND                                  (Teacher: the Question's send stamp)
 *  answer ROUND STUDENT SEND DELIVER PLACE SEQUENCED (Teacher: an Answer delivered)
 *  query ROUND OUTCOME RESPONSES                     (Teacher: the query handle at the end of the round)
 *  question ROUND SEND DELIVER PLACE SEQUENCED       (Student: a Question delivered)
 *  other TYPE                                        (a delivery of a type this member should not get)
 *  view ID MEMBERS                                   (a view change after READY)
 *  events TYPE COUNT                                 (ChannelStats.events(TYPE) at the end)
 *  stats TEXT / layers TEXT / sequencer HOLDER ME
 * </pre>
 * PLACE is {@link Received#sequenceId()}: a sequenced message's own sequence id, an
 * implied-order one's place after the sequence id it followed.
 *
 * <p>Arguments: {@code --server URL --group G --role Teacher|Student --index I --students N
 * --rounds R --size S --out FILE [--sequencer]}.
 */
public final class ProtocolBenchMember {
    static final String TEACHER = "Teacher";
    static final String STUDENT = "Student";
    static final String QUESTION = "Question";
    static final String ANSWER = "Answer";
    /** Question payload header: round, send stamp. */
    static final int QUESTION_HEADER = 16;
    /** Answer payload header: round, student index, send stamp. */
    static final int ANSWER_HEADER = 24;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** After its part, a member keeps receiving this long, so a late duplicate still shows. */
    private static final Duration DRAIN = Duration.ofMillis(300);

    private ProtocolBenchMember() {
    }

    /**
     * Time stamps comparable across the bench's JVMs (all on one machine), in epoch nanoseconds.
     * {@code System.nanoTime} is monotonic and fine-grained but its origin is private to each JVM;
     * the wall clock ({@code Clock.systemUTC()}, CLOCK_REALTIME: microsecond resolution or better
     * on Linux, unlike {@code currentTimeMillis}) is the same for every process of the machine but
     * may be stepped. So each JVM anchors once at start-up: it reads the wall clock between two
     * nanoTime reads (the tightest bracket of many tries) and from then on stamps
     * {@code anchorEpochNanos + (nanoTime - anchorNanoTime)}. Two JVMs' stamps then disagree by at
     * most their two anchoring errors (about a microsecond each; the bracket width is the bound)
     * plus any step of the wall clock between their start-ups, which would show as a negative
     * latency (the bench's check flags those). The kernel slews CLOCK_MONOTONIC and CLOCK_REALTIME
     * alike, so the anchors do not drift apart during a run.
     */
    static final class Stamp {
        private static final long ANCHOR_EPOCH_NANOS;
        private static final long ANCHOR_NANO_TIME;
        /** The width of the bracket of the anchor read, in ns: the anchoring error is at most this. */
        static final long ANCHOR_ERROR_NANOS;

        static {
            Clock utc = Clock.systemUTC();
            long bestWidth = Long.MAX_VALUE;
            long epoch = 0;
            long nano = 0;
            for (int i = 0; i < 2000; i++) { // also warms up the calls
                long before = System.nanoTime();
                Instant wall = utc.instant();
                long after = System.nanoTime();
                if (after - before < bestWidth) {
                    bestWidth = after - before;
                    epoch = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
                    nano = before + (after - before) / 2;
                }
            }
            ANCHOR_EPOCH_NANOS = epoch;
            ANCHOR_NANO_TIME = nano;
            ANCHOR_ERROR_NANOS = bestWidth;
        }

        private Stamp() {
        }

        /** Now, in epoch nanoseconds, comparable with the other bench JVMs' stamps. */
        static long now() {
            return ANCHOR_EPOCH_NANOS + (System.nanoTime() - ANCHOR_NANO_TIME);
        }
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        long anchorError = Stamp.ANCHOR_ERROR_NANOS; // anchor before anything else runs
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sequencer")) {
                a.put("sequencer", "true");
            } else {
                a.put(args[i].substring(2), args[++i]);
            }
        }
        String role = a.get("role");
        int index = Integer.parseInt(a.get("index"));
        int students = Integer.parseInt(a.get("students"));
        int rounds = Integer.parseInt(a.get("rounds"));
        int size = Integer.parseInt(a.get("size"));
        Path out = Path.of(a.get("out"));
        boolean teacher = role.equals(TEACHER);
        List<String> record = new ArrayList<>();
        record.add("anchor_error_ns " + anchorError);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Troupe troupe = Troupe.connect(a.get("server"));
             Group g = troupe.join(a.get("group"), role, teacher ? "teacher" : "student-" + index,
                     JoinOptions.defaults().sequencer(a.containsKey("sequencer")))) {
            // wait until a full view is delivered (taken from the queue, not just known: g.view()
            // is ahead of the queue), so that no view change is left to deliver during the run
            boolean full = false;
            while (!full) {
                Delivery d = g.receive(PATIENCE);
                if (d == null) {
                    throw new IllegalStateException("the group did not fill up within " + PATIENCE.toSeconds() + " s");
                }
                full = d instanceof ViewChange v && v.view().count(TEACHER) >= 1 && v.view().count(STUDENT) >= students;
            }
            record.add("sequencer " + g.view().sequencer() + " " + g.me().id());
            record.add("layers " + String.join(",", g.layers()));
            System.out.println("READY");
            System.out.flush();
            if (!"GO".equals(stdin.readLine())) {
                return;
            }
            if (teacher) {
                teach(g, students, rounds, size, record);
            } else {
                learn(g, index, rounds, size, record);
            }
            Delivery d;
            while ((d = g.receive(DRAIN)) != null) {
                note(d, record);
            }
            ChannelStats stats = g.channelStats();
            record.add("events " + QUESTION + " " + stats.events(QUESTION));
            record.add("events " + ANSWER + " " + stats.events(ANSWER));
            record.add("stats " + stats);
            write(out, record);
            System.out.println("DONE");
            System.out.flush();
            String line;
            while ((line = stdin.readLine()) != null && !line.equals("EXIT")) {
                // wait for the coordinator: leaving early would show in the others' views
            }
        }
    }

    private static void teach(Group g, int students, int rounds, int size, List<String> record) throws Exception {
        byte[] payload = new byte[Math.max(QUESTION_HEADER, size)];
        for (int r = 0; r < rounds; r++) {
            long sent = Stamp.now();
            ByteBuffer.wrap(payload).putLong(r).putLong(sent);
            Query q = g.ask(QUESTION, payload.clone());
            record.add("asked " + r + " " + sent);
            BitSet answered = new BitSet(students);
            while (answered.cardinality() < students) {
                Delivery d = g.receive(PATIENCE);
                if (d == null) {
                    throw new IllegalStateException("round " + r + ": only " + answered.cardinality() + " of "
                            + students + " Answers within " + PATIENCE.toSeconds() + " s");
                }
                int[] who = note(d, record);
                if (who != null && who[0] == r && who[1] >= 0 && who[1] < students) {
                    answered.set(who[1]);
                }
            }
            if (!q.await(PATIENCE)) {
                record.add("query " + r + " OPEN " + q.responses().size());
            } else {
                record.add("query " + r + " " + q.outcome() + " " + q.responses().size());
            }
        }
    }

    private static void learn(Group g, int index, int rounds, int size, List<String> record) throws Exception {
        byte[] payload = new byte[Math.max(ANSWER_HEADER, size)];
        BitSet delivered = new BitSet(rounds);
        while (delivered.cardinality() < rounds) {
            Delivery d = g.receive(PATIENCE);
            if (d == null) {
                throw new IllegalStateException("student " + index + ": only " + delivered.cardinality() + " of "
                        + rounds + " Questions within " + PATIENCE.toSeconds() + " s");
            }
            note(d, record);
            if (d instanceof Received q && q.type().equals(QUESTION)) {
                int r = (int) ByteBuffer.wrap(q.payload()).getLong(0);
                if (r >= 0 && r < rounds && !delivered.get(r)) {
                    delivered.set(r);
                    long sent = Stamp.now();
                    ByteBuffer.wrap(payload).putLong(r).putLong(index).putLong(sent);
                    g.reply(q, ANSWER, payload.clone());
                }
            }
        }
    }

    /**
     * Records a delivery (stamped first thing); for an Answer returns {round, student}, else null.
     */
    private static int[] note(Delivery d, List<String> record) {
        long now = Stamp.now();
        if (d instanceof ViewChange v) {
            record.add("view " + v.view().id() + " " + v.view().members().size());
            return null;
        }
        Received r = (Received) d;
        ByteBuffer b = ByteBuffer.wrap(r.payload());
        if (r.type().equals(QUESTION) && r.payload().length >= QUESTION_HEADER) {
            record.add("question " + b.getLong(0) + " " + b.getLong(8) + " " + now + " " + r.sequenceId() + " "
                    + r.message().sequenced());
            return null;
        }
        if (r.type().equals(ANSWER) && r.payload().length >= ANSWER_HEADER) {
            long round = b.getLong(0);
            long student = b.getLong(8);
            record.add("answer " + round + " " + student + " " + b.getLong(16) + " " + now + " " + r.sequenceId() + " "
                    + r.message().sequenced());
            return new int[] {(int) round, (int) student};
        }
        record.add("other " + r.type());
        return null;
    }

    private static void write(Path file, List<String> record) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (String line : record) {
                w.println(line);
            }
        }
    }
}
