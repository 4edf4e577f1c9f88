package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.cli.TroupeCli;
import picocli.CommandLine;

/**
 * {@code troupe bench failover}, small: three server JVMs, two member JVMs, one leader kill (the
 * killed server restarted and caught up). It prints the bench's one line, with nothing lost,
 * duplicated or reordered; no timing is asserted.
 */
@Tag("process")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FailoverBenchTest {
    private static final Pattern LINE = Pattern.compile("troupe bench=failover servers=3 members=2 kills=1 "
            + "pause_p50_ms=(\\d+) pause_p99_ms=(\\d+) pause_max_ms=(\\d+) lost=0 duplicated=0 reordered=0");

    @Test
    void oneLeaderKillLosesNothingAndPrintsTheBenchLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TroupeCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.write(String.valueOf(e));
            return 1;
        });
        int code = cl.execute("bench", "failover", "--servers", "3", "--members", "2", "--kills", "1", "--rate", "40",
                "--settle", "1000");
        assertEquals(0, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        List<String> lines = out.toString().lines().toList();
        assertEquals(1, lines.size(), out::toString);
        Matcher m = LINE.matcher(lines.get(0));
        assertTrue(m.matches(), () -> "not in the bench's format, or something lost: " + lines.get(0) + "\n" + err);
        assertTrue(Long.parseLong(m.group(1)) <= Long.parseLong(m.group(2))
                && Long.parseLong(m.group(2)) <= Long.parseLong(m.group(3)), lines.get(0));
        assertTrue(err.toString().contains("# kill 1: SIGKILLed s"), err::toString);
    }
}
