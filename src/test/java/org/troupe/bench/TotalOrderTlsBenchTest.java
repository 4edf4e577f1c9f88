package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.cli.TroupeCli;
import picocli.CommandLine;

/** {@code bench total-order --tls}: Troupe over TLS and plain IIOP in the same run, in the same line format. */
@Tag("process")
class TotalOrderTlsBenchTest {

    @Test
    void tlsRunIsComparedWithPlainInTheSameRun() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TroupeCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("bench", "total-order", "--tls", "--members", "2", "--size", "100", "--msgs", "400",
                "--heap", "96m");
        assertEquals(0, code, () -> "stdout:\n" + out + "\nstderr:\n" + err);
        List<String> lines = out.toString().lines().filter(l -> !l.startsWith("#")).toList();
        assertTrue(lines.get(0).matches("troupe-tls bench=total-order members=2 size=100 msgs=400 msgs_s=\\d+ "
                + "p50_us=\\d+ p99_us=\\d+ order=OK"), lines.get(0));
        assertTrue(lines.get(1).matches("troupe bench=total-order members=2 size=100 msgs=400 msgs_s=\\d+ "
                + "p50_us=\\d+ p99_us=\\d+ order=OK"), lines.get(1));
        assertTrue(lines.get(2).startsWith("ratio troupe-tls/troupe msgs_s="), lines.get(2));
    }
}
