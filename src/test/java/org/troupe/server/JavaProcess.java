package org.troupe.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Test helper: a Java child process started with this JVM's class path (or any program, with
 * {@link #startCommand}) whose whole stdout (line
 * by line) and stderr are kept, so a test can wait for a line without losing the others, read
 * the exit code, and show the child's stderr when something goes wrong. Every wait has a time-out;
 * {@link #close} kills the child.
 */
public final class JavaProcess implements AutoCloseable {
    private static final int MAX_STDERR = 64 * 1024;

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread outReader;
    private final Thread errReader;
    private final Writer stdin;
    private boolean outClosed;
    private int cursor;

    private JavaProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.outReader = daemon(name + "-stdout", () -> readLines(process.getInputStream()));
        this.errReader = daemon(name + "-stderr", () -> readErr(process.getErrorStream()));
    }

    /** Starts {@code java [jvmArgs] -cp <this class path> mainClass args}. */
    public static JavaProcess start(String name, List<String> jvmArgs, Class<?> mainClass, List<String> args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return new JavaProcess(name, new ProcessBuilder(cmd).start());
    }

    /** Starts any program (e.g. a C++ example) with the same output capture and time-outs. */
    public static JavaProcess startCommand(String name, List<String> command) throws IOException {
        return new JavaProcess(name, new ProcessBuilder(command).start());
    }

    /** Below Linux's default ephemeral range (32768-60999), where no client socket takes a port. */
    private static final int LOW_PORT = 20000;
    private static final int HIGH_PORT = 32767;
    /** Ports this JVM handed out: a port is bound only later, by a child, so it could be drawn twice. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port that was free on 127.0.0.1 a moment ago, and that no other call of this JVM returned.
     * It is drawn below the kernel's ephemeral range: a port from that range, free when drawn, was
     * sometimes taken by another process's outgoing connection before the child bound it.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(LOW_PORT, HIGH_PORT + 1);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException busy) {
                // in use: draw another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HANDED_OUT.add(s.getLocalPort());
            return s.getLocalPort();
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void readLines(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            synchronized (this) {
                outClosed = true;
                notifyAll();
            }
        }
    }

    private void readErr(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderr) {
                    if (stderr.length() < MAX_STDERR) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits for a stdout line (any line so far, from the first) that matches; returns it.
     *
     * @throws TimeoutException none within the time, or stdout ended first; the message shows the
     *     child's output
     */
    public synchronized String awaitLine(Predicate<String> match, String what, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        return lines.get(find(0, match, what, timeoutMillis));
    }

    /** Waits for a stdout line that starts with {@code prefix}. */
    public String awaitPrefix(String prefix, long timeoutMillis) throws TimeoutException, InterruptedException {
        return awaitLine(l -> l.startsWith(prefix), "starting with '" + prefix + "'", timeoutMillis);
    }

    /**
     * Waits for the next stdout line that starts with {@code prefix}, after the one the previous
     * call to this method returned (for replies to commands); returns it.
     */
    public synchronized String awaitNext(String prefix, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        int i = find(cursor, l -> l.startsWith(prefix), "starting with '" + prefix + "'", timeoutMillis);
        cursor = i + 1;
        return lines.get(i);
    }

    private synchronized int find(int from, Predicate<String> match, String what, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int i = from;
        while (true) {
            for (; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    return i;
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (outClosed || left <= 0) {
                throw new TimeoutException(name + ": no line " + what + " within " + timeoutMillis + " ms"
                        + (outClosed ? " (stdout closed" + exitStatus() + ")" : "") + "\n" + describe());
            }
            wait(Math.min(left, 200));
        }
    }

    private String exitStatus() throws InterruptedException {
        return process.waitFor(2, TimeUnit.SECONDS) ? ", exit code " + process.exitValue() : "";
    }

    /** Sends one line to the child's stdin. */
    public void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Closes the child's stdin (it reads end of input). */
    public void closeInput() throws IOException {
        stdin.close();
    }

    /** Every stdout line so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Stdout so far, one string. */
    public String stdout() {
        return String.join("\n", lines());
    }

    /** Stderr so far (the first 64 KiB). */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** Stdout and stderr, for failure messages. */
    public String describe() {
        return "--- " + name + " stdout ---\n" + stdout() + "\n--- " + name + " stderr ---\n" + stderr();
    }

    /** Sends a signal with kill(1): STOP, CONT, KILL, TERM. */
    public void signal(String sig) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(5, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IllegalStateException("kill -" + sig + " " + process.pid() + " did not return");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits up to {@code timeoutMillis} for the process to exit and returns its exit code; the
     * output readers are given a moment to drain.
     *
     * @throws TimeoutException it is still running
     */
    public int awaitExit(long timeoutMillis) throws TimeoutException, InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(name + ": still running after " + timeoutMillis + " ms\n" + describe());
        }
        outReader.join(2000);
        errReader.join(2000);
        return process.exitValue();
    }

    /** Kills the process (SIGKILL) if it still runs, and waits for it. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
