package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.cli.TroupeCli;
import picocli.CommandLine;

/**
 * {@code troupe bench total-order}: a small Troupe run through the command prints the bench's line
 * format with every message delivered once in one order, and the analysis behind {@code msgs_s},
 * the latencies and {@code order=OK} is checked on hand-made recordings (no timing is asserted).
 */
@Tag("process")
class TotalOrderBenchTest {
    private static final Pattern LINE = Pattern.compile(
            "troupe bench=total-order members=2 size=100 msgs=400 msgs_s=(\\d+) p50_us=(\\d+) p99_us=(\\d+) order=OK");

    /** What {@code troupe ARGS} printed and returned; a failure's message goes to its stderr. */
    private record Run(int code, String out, String err) {
    }

    private static Run troupe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TroupeCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.write(String.valueOf(e));
            return 1;
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void smallTroupeRunPrintsTheBenchLineWithOrderOk() {
        Run r = troupe("bench", "total-order", "--members", "2", "--size", "100", "--msgs", "400", "--heap", "96m");
        assertEquals(0, r.code(), () -> "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        List<String> lines = r.out().lines().filter(l -> l.startsWith("troupe ")).toList();
        assertEquals(1, lines.size(), r::out);
        Matcher m = LINE.matcher(lines.get(0));
        assertTrue(m.matches(), () -> "not in the bench's format: " + lines.get(0));
        assertTrue(Long.parseLong(m.group(1)) > 0, lines.get(0));
        assertTrue(Long.parseLong(m.group(2)) <= Long.parseLong(m.group(3)), () -> "p50 <= p99: " + lines.get(0));
    }

    @Test
    void serverJvmOptionsReachTheServerAndAServerThatDoesNotStartFailsAtOnce() {
        long start = System.nanoTime();
        // a flag no JVM knows: the server's JVM does not start, and the bench says so at once
        // (not after waiting 30 s for the server's ready line); no member JVM is started
        Run r = troupe("bench", "total-order", "--members", "2", "--msgs", "100", "--heap", "96m",
                "--server-jvm-opt=-XX:+NoSuchTroupeFlag");
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(1, r.code(), () -> "a server that did not start fails the bench; stderr: " + r.err());
        assertTrue(r.err().contains("server: stdout ended before a 'troupe server ready' line (exited with 1)"),
                r::err);
        assertTrue(seconds < 25, "reported when the server's stdout ended, not at the time-out: " + seconds + " s");
    }

    @Test
    void serverJvmOptionsGoToTheServerAfterTheCommonOnesAndToNoOtherChild() {
        TotalOrderBench bench = new TotalOrderBench(List.of("-Xmx96m", "-XX:+UseSerialGC"),
                List.of("-XX:TieredStopAtLevel=1"), false);
        assertEquals(List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), bench.jvmArgs(true));
        assertEquals(List.of("-Xmx96m", "-XX:+UseSerialGC"), bench.jvmArgs(false));
    }

    /** Two senders, 3 messages each, the first of each unmeasured; both members got all six. */
    private static OrderRecorder.Record record(long hash, long duplicates, long[] delivered) {
        long[] sent = {1_000, 2_000, 3_000, 1_500, 2_500, 3_500};
        return new OrderRecorder.Record(hash, sent.length, duplicates, sent, delivered);
    }

    private static final long[] DELIVERED_A = {1_100, 2_100, 3_100, 1_600, 2_600, 4_000};
    private static final long[] DELIVERED_B = {1_200, 2_300, 3_200, 1_700, 2_900, 6_000};

    @Test
    void analysisMeasuresFromTheFirstMeasuredSendToTheSlowestMembersLastDelivery() {
        TotalOrderBench.Result r = TotalOrderBench.analyse("troupe", 2, 100, 4, 3, 1,
                List.of(record(42, 0, DELIVERED_A), record(42, 0, DELIVERED_B)));
        assertTrue(r.orderOk(), r::problem);
        // measured: messages 1, 2 (sender 0) and 4, 5 (sender 1); first measured send at 2000 us;
        // the slowest member's last measured delivery at 6000 us: 4 messages in 4 ms
        assertEquals(1000.0, r.msgsPerSecond(), 1e-6);
        // latencies to the last member: 300, 200, 400, 2500 us
        assertEquals(400, r.p50us());
        assertEquals(2500, r.p99us());
        assertEquals("troupe bench=total-order members=2 size=100 msgs=4 msgs_s=1000 p50_us=400 p99_us=2500 order=OK",
                r.line());
    }

    @Test
    void analysisFailsOnAnotherOrderADuplicateOrAMissingMessage() {
        TotalOrderBench.Result order = TotalOrderBench.analyse("troupe", 2, 100, 4, 3, 1,
                List.of(record(42, 0, DELIVERED_A), record(43, 0, DELIVERED_B)));
        assertFalse(order.orderOk());
        assertTrue(order.problem().contains("another order"), order.problem());
        assertTrue(order.line().endsWith("order=FAILED"), order.line());

        TotalOrderBench.Result dup = TotalOrderBench.analyse("troupe", 2, 100, 4, 3, 1,
                List.of(record(42, 0, DELIVERED_A), record(42, 1, DELIVERED_B)));
        assertFalse(dup.orderOk());
        assertTrue(dup.problem().contains("1 duplicates"), dup.problem());

        long[] missing = DELIVERED_B.clone();
        missing[4] = 0;
        TotalOrderBench.Result lost = TotalOrderBench.analyse("troupe", 2, 100, 4, 3, 1,
                List.of(record(42, 0, DELIVERED_A), record(42, 0, missing)));
        assertFalse(lost.orderOk());
        assertTrue(lost.problem().contains("never delivered message 4"), lost.problem());
    }

    @Test
    void aClusterAgainstASingleServerEndsWithTheRatioLine() {
        Run r = troupe("bench", "total-order", "--servers", "3", "--compare", "single", "--members", "2", "--size", "100",
                "--msgs", "400", "--unloaded-msgs", "40", "--unloaded-warmup", "100", "--heap", "96m");
        assertEquals(0, r.code(), () -> "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(6, lines.size(), r::out);
        assertTrue(lines.get(0).matches("troupe-cluster bench=total-order servers=3 members=2 size=100 msgs=400 "
                + "msgs_s=\\d+ p50_us=\\d+ p99_us=\\d+ order=OK"), lines.get(0));
        assertTrue(lines.get(1).matches("troupe-single bench=total-order members=2 size=100 msgs=400 msgs_s=\\d+ "
                + "p50_us=\\d+ p99_us=\\d+ order=OK"), lines.get(1));
        assertTrue(lines.get(2).matches("troupe-cluster bench=total-order-unloaded servers=3 members=2 size=100 msgs=40 "
                + "msgs_s=\\d+ p50_us=\\d+ p99_us=\\d+ order=OK"), lines.get(2));
        assertTrue(lines.get(3).matches("troupe-single bench=total-order-unloaded members=2 size=100 msgs=40 "
                + "msgs_s=\\d+ p50_us=\\d+ p99_us=\\d+ order=OK"), lines.get(3));
        assertTrue(lines.get(4).matches("added by replication unloaded_p50_us=-?\\d+"), lines.get(4));
        assertTrue(lines.get(5).matches("ratio troupe-cluster/troupe-single msgs_s=\\d+\\.\\d\\d p50_us=\\d+\\.\\d\\d"),
                lines.get(5));
    }

    @Test
    void severalGroupsOnAClusterWithLeadersSpreadAndOnOneServer() {
        Run r = troupe("bench", "total-order", "--servers", "3", "--groups", "3", "--members", "2", "--size", "100",
                "--msgs", "600", "--heap", "96m");
        assertEquals(0, r.code(), () -> "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r::out);
        for (int i = 0; i < 2; i++) {
            String leaders = i == 0 ? "spread" : "one";
            assertTrue(lines.get(i).matches("troupe-cluster bench=total-order servers=3 groups=3 leaders=" + leaders
                    + " members=2 size=100 msgs=600 msgs_s=\\d+ p50_us=\\d+ p99_us=\\d+ order=OK"), lines.get(i));
        }
        assertTrue(lines.get(2).matches("ratio leaders-spread/leaders-one msgs_s=\\d+\\.\\d\\d p50_us=\\d+\\.\\d\\d"),
                lines.get(2));
    }

    @Test
    void clusterOptionsThatDoNotFitAreRefusedBeforeAnyProcessStarts() {
        Run single = troupe("bench", "total-order", "--compare", "single");
        assertEquals(1, single.code());
        assertTrue(single.err().contains("--compare single compares a cluster (--servers 3) with a single server"),
                single::err);
        Run leaders = troupe("bench", "total-order", "--leaders", "one");
        assertEquals(1, leaders.code());
        assertTrue(leaders.err().contains("--leaders goes with --servers N and --groups G"), leaders::err);
        Run unknown = troupe("bench", "total-order", "--servers", "3", "--groups", "2", "--leaders", "two");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown --leaders 'two' (known: spread, one)"), unknown::err);
    }

    @Test
    void severalGroupsAddUpFromTheFirstMeasuredSendToTheLastDeliveryInAnyGroup() {
        // group 0 as in the single-group analysis (last measured delivery at 6000 us); group 1 the
        // same, 4000 us later: 8 measured messages from 2000 to 10000 us
        long[] later = {5_000, 6_000, 7_000, 5_500, 6_500, 7_500};
        long[] laterA = {5_100, 6_100, 7_100, 5_600, 6_600, 8_000};
        long[] laterB = {5_200, 6_300, 7_200, 5_700, 6_900, 10_000};
        List<OrderRecorder.Record> g1 = List.of(new OrderRecorder.Record(7, 6, 0, later, laterA),
                new OrderRecorder.Record(7, 6, 0, later, laterB));
        TotalOrderBench.Result r = TotalOrderBench.analyseGroups("troupe", 2, 100, 3, 1,
                List.of(List.of(record(42, 0, DELIVERED_A), record(42, 0, DELIVERED_B)), g1));
        assertTrue(r.orderOk(), r::problem);
        assertEquals(8, r.msgs());
        assertEquals(1000.0, r.msgsPerSecond(), 1e-6);
        TotalOrderBench.Result bad = TotalOrderBench.analyseGroups("troupe", 2, 100, 3, 1,
                List.of(List.of(record(42, 0, DELIVERED_A), record(42, 0, DELIVERED_B)),
                        List.of(g1.get(0), new OrderRecorder.Record(8, 6, 0, later, laterB))));
        assertTrue(bad.problem().startsWith("group 1: "), bad::problem);
    }

    @Test
    void aSetupSaysWhatItIsOnTheLine() {
        assertEquals("", TotalOrderBench.Setup.single().describe());
        assertEquals("servers=3 ", new TotalOrderBench.Setup(3, 1, null, false).describe());
        assertEquals("servers=3 groups=6 leaders=one ",
                new TotalOrderBench.Setup(3, 6, TotalOrderBench.Leaders.ONE, false).describe());
        TotalOrderBench.Result r = new TotalOrderBench.Result("troupe", 2, 100, 4, 1000, 400, 2500, true, null)
                .as("troupe-cluster", "total-order-unloaded", "servers=3 ");
        assertEquals("troupe-cluster bench=total-order-unloaded servers=3 members=2 size=100 msgs=4 msgs_s=1000 "
                + "p50_us=400 p99_us=2500 order=OK", r.line());
    }
}
