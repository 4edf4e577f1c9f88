package org.troupe.apps.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A demo participant: a {@code troupe} command in a JVM of its own (this JVM's class path),
 * driven line by line on stdin. Each stdout line is shown at once, prefixed by the participant's
 * name (unless started quiet), and kept with the time it came (the last {@value #KEEP}) so that
 * the demo's script can wait for one and time it. Its stderr (logs) is dropped. Every wait has a
 * time-out; {@link #close} kills the process.
 */
public final class Participant implements AutoCloseable {
    private static final int KEEP = 10_000;

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();
    /** When each kept line came ({@link System#nanoTime}), index for index with {@link #lines}. */
    private final List<Long> times = new ArrayList<>();
    private int cursor;
    private boolean ended;

    private Participant(String name, Process process, PrintWriter show) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> read(show), "demo-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java -cp <class path> org.troupe.cli.TroupeCli args} as {@code name}; its
     * lines are shown on {@code show}, or not at all when it is null.
     */
    public static Participant start(String name, List<String> args, PrintWriter show) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dtroupe.log=WARN"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.troupe.cli.TroupeCli");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new Participant(name, p, show);
    }

    private void read(PrintWriter show) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                long at = System.nanoTime();
                if (show != null) {
                    synchronized (show) {
                        show.printf("%-8s| %s%n", name, line);
                        show.flush();
                    }
                }
                synchronized (this) {
                    if (lines.size() == KEEP) {
                        lines.remove(0);
                        times.remove(0);
                        cursor = Math.max(0, cursor - 1);
                    }
                    lines.add(line);
                    times.add(at);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    public String name() {
        return name;
    }

    /**
     * Waits for the next line (after the one the previous call returned) that matches; returns it.
     *
     * @throws TimeoutException none within the time, or the participant ended first
     */
    public synchronized String next(Predicate<String> match, String what, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            for (; cursor < lines.size(); cursor++) {
                if (match.test(lines.get(cursor))) {
                    return lines.get(cursor++);
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (ended || left <= 0) {
                throw new TimeoutException(name + ": no " + what + " within " + timeoutMillis + " ms"
                        + (ended ? " (it ended)" : ""));
            }
            wait(Math.min(left, 200));
        }
    }

    /** Waits for a line, among all it printed so far, that starts with {@code prefix}; returns it. */
    public synchronized String any(String prefix, long timeoutMillis) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int i = 0;
        while (true) {
            for (; i < lines.size(); i++) {
                if (lines.get(i).startsWith(prefix)) {
                    return lines.get(i);
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (ended || left <= 0) {
                throw new TimeoutException(name + ": no '" + prefix + "' line within " + timeoutMillis + " ms"
                        + (ended ? " (it ended)" : ""));
            }
            wait(Math.min(left, 200));
        }
    }

    /** As {@link #next(Predicate, String, long)}, for a line starting with {@code prefix}. */
    public String next(String prefix, long timeoutMillis) throws TimeoutException, InterruptedException {
        return next(l -> l.startsWith(prefix), "'" + prefix + "' line", timeoutMillis);
    }

    /** A line it printed and when it came ({@link System#nanoTime}). */
    public record Line(String text, long nanos) {
    }

    /** Every kept line that starts with {@code prefix}, in order, with when it came. */
    public synchronized List<Line> lines(String prefix) {
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                out.add(new Line(lines.get(i), times.get(i)));
            }
        }
        return out;
    }

    /** Sends one line to its stdin. */
    public void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Kills it with SIGKILL, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** Waits up to {@code millis} for it to exit; its exit code, or -1 if it did not. */
    public int awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * Tells each participant {@code quit} (the apps' command to leave), then waits for each to
     * exit; returns one line per participant that did not exit with 0 ("ann exited with 2").
     */
    public static java.util.List<String> quitAll(java.util.List<Participant> all, long millis)
            throws java.io.IOException, InterruptedException {
        for (Participant p : all) {
            p.send("quit");
        }
        java.util.List<String> bad = new java.util.ArrayList<>();
        for (Participant p : all) {
            int code = p.awaitExit(millis);
            if (code != 0) {
                bad.add(p.name() + " exited with " + code);
            }
        }
        return bad;
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
