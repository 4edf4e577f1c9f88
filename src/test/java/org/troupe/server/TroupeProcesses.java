package org.troupe.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.troupe.cli.TroupeCli;

/** Test helper: the {@code troupe} command line run as child JVMs. */
public final class TroupeProcesses {
    /** JVM options for every child: quiet Troupe logs, a modest heap. */
    public static final List<String> JVM_ARGS = List.of("-Xmx256m", "-Dtroupe.log=WARN");
    /** How long a child JVM may take to start and be ready (2 cores, several JVMs at once). */
    public static final long START_TIMEOUT_MS = 30_000;

    private TroupeProcesses() {
    }

    /** What a finished command printed, and how it exited. */
    public record Result(int exitCode, List<String> stdout, String stderr, String describe) {
        public String out() {
            return String.join("\n", stdout);
        }
    }

    /**
     * Starts {@code troupe server --port PORT extra...} and waits for its "troupe server ready"
     * line. The caller closes it.
     */
    public static JavaProcess startServer(String name, int port, List<String> extra)
            throws IOException, TimeoutException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("server", "--exit-with-parent", "--port", Integer.toString(port)));
        args.addAll(extra);
        JavaProcess p = JavaProcess.start(name, JVM_ARGS, TroupeCli.class, args);
        try {
            p.awaitPrefix("troupe server ready", START_TIMEOUT_MS);
            return p;
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Runs {@code troupe args...} to completion (at most {@code timeoutMillis}). */
    public static Result run(long timeoutMillis, String... args)
            throws IOException, TimeoutException, InterruptedException {
        try (JavaProcess p = JavaProcess.start("troupe " + String.join(" ", args), JVM_ARGS, TroupeCli.class,
                List.of(args))) {
            int code = p.awaitExit(timeoutMillis);
            return new Result(code, p.lines(), p.stderr(), p.describe());
        }
    }

    /** Runs {@code troupe args...} to completion within 30 s. */
    public static Result run(String... args) throws IOException, TimeoutException, InterruptedException {
        return run(30_000, args);
    }
}
