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
}
