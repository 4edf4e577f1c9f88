package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code troupe bench latency}, run small through the command: every line in its format, every
 * figure positive and in order (p50 &le; p99 &le; p999 &le; max). The run itself fails unless every
 * member delivered every message once, in order (see {@link LatencyBenchAnalysisTest}). No
 * timing is asserted.
 */
@Tag("process")
class LatencyBenchTest {
    private static final String FIGURES = "p50_us=(\\d+) p99_us=(\\d+) p999_us=(\\d+) max_us=(\\d+)";

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
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    /** The floor line: the JacORB twoway (p50, p99), two hops of it, the TCP round trip (p50, p99). */
    private static final String FLOOR = "floor bench=latency size=1000 twoway_p50_us=(\\d+) twoway_p99_us=(\\d+) "
            + "two_hop_p50_us=(\\d+) tcp_rtt_p50_us=(\\d+) tcp_rtt_p99_us=(\\d+)";

    private static Matcher line(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                return m;
            }
        }
        throw new AssertionError("no line matches " + regex + " in:\n" + String.join("\n", lines));
    }

    private static void ordered(Matcher m) {
        long previous = 1;
        for (int i = 1; i <= 4; i++) {
            long v = Long.parseLong(m.group(i));
            assertTrue(v >= previous, () -> "positive, p50 <= p99 <= p999 <= max: " + m.group());
            previous = v;
        }
    }

    @Test
    void bothKindsAgainstJgroupsAndTheFloor() {
        Run r = troupe("bench", "latency", "--members", "3", "--msgs", "200", "--warmup", "50", "--heap", "96m",
                "--compare", "jgroups");
        assertEquals(0, r.code(), () -> "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r::out);
        ordered(line(lines, "troupe bench=latency members=3 size=1000 kind=sequenced servers=1 " + FIGURES));
        ordered(line(lines, "troupe bench=latency members=3 size=1000 kind=reactive servers=1 " + FIGURES));
        ordered(line(lines, "jgroups bench=latency members=3 size=1000 kind=sequenced " + FIGURES));
        Matcher floor = line(lines, FLOOR);
        assertTrue(Long.parseLong(floor.group(1)) > 0 && Long.parseLong(floor.group(1)) <= Long.parseLong(floor.group(2)),
                floor::group);
        assertTrue(Long.parseLong(floor.group(4)) > 0 && Long.parseLong(floor.group(4)) <= Long.parseLong(floor.group(5)),
                floor::group);
        Matcher ratio = line(lines, "ratio troupe/jgroups kind=sequenced p50_us=(\\d+\\.\\d\\d) p99_us=(\\d+\\.\\d\\d)");
        assertTrue(Double.parseDouble(ratio.group(1)) > 0 && Double.parseDouble(ratio.group(2)) > 0, ratio::group);
    }

    @Test
    void aMemberHoldsTheSequencerAndAHostedMemberReceives(@org.junit.jupiter.api.io.TempDir java.nio.file.Path hops) {
        // the bench checks that the volunteer (member-0) holds the sequencer, and fails otherwise;
        // member 1 is a hosted member pulled by an IDL-only client; every process stamps its hops
        Run r = troupe("bench", "latency", "--members", "3", "--msgs", "100", "--warmup", "50", "--heap", "96m",
                "--sequencer", "member", "--kind", "sequenced", "--hosted", "--hops", hops.toString());
        assertEquals(0, r.code(), () -> "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        List<String> all = r.out().lines().toList();
        List<String> lines = all.stream().filter(l -> !l.startsWith("hop ")).toList();
        List<String> hopLines = all.stream().filter(l -> l.startsWith("hop ")).toList();
        assertEquals(3, lines.size(), r::out);
        String hop = "hop kind=sequenced where=%s at=%s first_p50_us=(\\d+\\.\\d) last_p50_us=(\\d+\\.\\d) "
                + "stamps_per_msg=(\\d+\\.\\d) .*";
        line(hopLines, String.format(hop, "sender", "send_call"));
        line(hopLines, String.format(hop, "server", "server_enter"));
        Matcher delivered = line(hopLines, String.format(hop, "members", "delivered"));
        assertTrue(Double.parseDouble(delivered.group(1)) > 0
                && Double.parseDouble(delivered.group(1)) <= Double.parseDouble(delivered.group(2)), delivered::group);
        ordered(line(lines, "troupe bench=latency members=3 size=1000 kind=sequenced servers=1 " + FIGURES));
        Matcher hosted = line(lines, "troupe-hosted bench=latency members=3 size=1000 kind=sequenced servers=1 "
                + "hosted_p50_us=(\\d+) hosted_p99_us=(\\d+) java_p50_us=(\\d+) java_p99_us=(\\d+)");
        for (int i = 1; i <= 4; i++) {
            assertTrue(Long.parseLong(hosted.group(i)) > 0, hosted::group);
        }
        line(lines, FLOOR);
    }

    @Test
    void aClusterOfThreeWithThinkTimeStampsTheGroupsLeader(@org.junit.jupiter.api.io.TempDir java.nio.file.Path hops) {
        Run r = troupe("bench", "latency", "--members", "3", "--servers", "3", "--msgs", "40", "--warmup", "20",
                "--heap", "96m", "--kind", "reactive", "--gap-ms", "5", "--hops", hops.toString());
        assertEquals(0, r.code(), () -> "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        List<String> all = r.out().lines().toList();
        ordered(line(all, "troupe bench=latency members=3 size=1000 kind=reactive servers=3 gap_ms=5 " + FIGURES));
        String hop = "hop kind=reactive where=server at=%s first_p50_us=(\\d+\\.\\d) last_p50_us=(\\d+\\.\\d) "
                + "stamps_per_msg=(\\d+\\.\\d) .*";
        Matcher entered = line(all, String.format(hop, "server_enter"));
        Matcher published = line(all, String.format(hop, "server_published"));
        assertTrue(Double.parseDouble(entered.group(1)) < Double.parseDouble(published.group(1)),
                "the leader publishes after its servant is entered: " + entered.group() + " / " + published.group());
        line(all, FLOOR);
    }
}
