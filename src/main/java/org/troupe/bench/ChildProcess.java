package org.troupe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Java child process started from this JVM's class path, talking line by line on stdin and
 * stdout (stderr is passed through). Every wait has a time-out; {@link #close} kills it.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
    /** Put after the last line once stdout ends (by identity: no line read is this instance). */
    private static final String END = new String("<end of stdout>");

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.offer(line);
                }
            } catch (IOException e) {
                // process gone
            } finally {
                ended();
            }
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java [jvmArgs] -cp <this class path> mainClass args}. */
    public static ChildProcess start(String name, List<String> jvmArgs, Class<?> mainClass, List<String> args)
            throws IOException {
        return start(name, jvmArgs, mainClass.getName(), List.of(), args);
    }

    /**
     * Starts {@code java [jvmArgs] -cp <this class path>:<extraClassPath> mainClass args}: for a
     * main class whose dependencies are not in this JVM (a bench peer's library).
     */
    public static ChildProcess start(String name, List<String> jvmArgs, String mainClass, List<String> extraClassPath,
            List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        List<String> cp = new ArrayList<>(List.of(System.getProperty("java.class.path")));
        cp.addAll(extraClassPath);
        cmd.add(String.join(java.io.File.pathSeparator, cp));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildProcess(name, pb.start());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    private void ended() {
        lines.offer(END); // (with 10000 lines unread it is not: then an await times out, as before)
    }

    /**
     * Waits for the next stdout line that starts with {@code prefix}; returns it. Fails at once
     * (a {@link TimeoutException} that says so, with the exit code) if the child's stdout ends
     * first: a JVM that did not start, a crash.
     */
    public String await(String prefix, long timeoutMillis) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new TimeoutException(name + ": no '" + prefix + "' line within " + timeoutMillis + " ms"
                        + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")"));
            }
            if (line == END) {
                lines.offer(END); // for the next await
                // its exit code, if it comes within what is left of the wait (at most 5 s)
                long wait = Math.min(TimeUnit.SECONDS.toNanos(5), Math.max(0, deadline - System.nanoTime()));
                boolean exited = process.waitFor(wait, TimeUnit.NANOSECONDS);
                // a TimeoutException as when no line comes in time: callers treat both as "never came"
                throw new TimeoutException(name + ": stdout ended before a '" + prefix + "' line"
                        + (exited ? " (exited with " + process.exitValue() + ")" : ""));
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Sends one line to the child's stdin. */
    public void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /**
     * Sends a signal with kill(1): STOP, CONT, KILL, TERM. A child that exited meanwhile is not
     * an error (kill's complaint is dropped).
     */
    public void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor(5, TimeUnit.SECONDS);
    }

    /** CPU time (user + system) the child has used so far, in ms; -1 if unknown. */
    public long cpuMillis() {
        return process.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Closes stdin and waits up to {@code millis} for the child to exit by itself. */
    public boolean finish(long millis) throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
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
