package org.troupe.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What one member of {@code bench latency} saw: for each kind, the {@link System#nanoTime} of
 * each delivery, message by message; the sender also logs each message's send time. A member
 * delivers one sender's messages 0, 1, 2, ... in that order: anything else (a gap, a repeat, a
 * message of no known kind) is recorded as this member's problem and its log stops there, so a
 * lost or reordered message shows in the analysis, never as a figure.
 *
 * <p>{@code System.nanoTime} is {@code CLOCK_MONOTONIC} on Linux: one clock for every process of
 * the machine, so times logged in different JVMs are compared directly (all the bench's
 * processes run on one host).
 */
public final class LatencyLog {
    private final long[][] delivered;
    private final int[] count;
    private final long[][] sent;
    private volatile String problem;

    /** A log of up to {@code msgs} messages of each of {@code kinds} kinds. */
    public LatencyLog(int kinds, int msgs) {
        delivered = new long[kinds][msgs];
        sent = new long[kinds][msgs];
        count = new int[kinds];
    }

    private LatencyLog(long[][] delivered, int[] count, long[][] sent, String problem) {
        this.delivered = delivered;
        this.count = count;
        this.sent = sent;
        this.problem = problem;
    }

    /**
     * Records the delivery of message {@code k} of {@code kind} at {@code nanos}; returns how many
     * of that kind are now delivered in order, or -1 if it was not the next one (then the log has
     * a problem).
     */
    public synchronized int delivered(int kind, long k, long nanos) {
        if (problem != null) {
            return -1;
        }
        if (kind < 0 || kind >= count.length) {
            problem = "delivered a message of unknown kind " + kind;
            return -1;
        }
        if (k != count[kind]) {
            problem = (k < count[kind] ? "delivered message " + k + " again (or late)" : "delivered message " + k
                    + " before message " + count[kind]) + " (kind " + kind + ")";
            return -1;
        }
        if (k >= delivered[kind].length) {
            problem = "delivered message " + k + " of kind " + kind + ", beyond the " + delivered[kind].length + " sent";
            return -1;
        }
        delivered[kind][(int) k] = nanos;
        return ++count[kind];
    }

    /** The sender: message {@code k} of {@code kind} was handed to the system at {@code nanos}. */
    public void sent(int kind, int k, long nanos) {
        sent[kind][k] = nanos;
    }

    /** Records a failure seen outside the delivery path (a time-out, an exception). */
    public void fail(String what) {
        synchronized (this) {
            if (problem == null) {
                problem = what;
            }
        }
    }

    public String problem() {
        return problem;
    }

    public synchronized int count(int kind) {
        return count[kind];
    }

    /** Deliveries of {@code kind}, in order (as many as {@link #count}). */
    public synchronized long[] deliveries(int kind) {
        return Arrays.copyOf(delivered[kind], count[kind]);
    }

    /** Send times of {@code kind} (the sender's log; zeros elsewhere). */
    public long[] sends(int kind) {
        return sent[kind].clone();
    }

    public synchronized void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(count.length);
            out.writeInt(delivered[0].length);
            out.writeUTF(problem == null ? "" : problem);
            for (int kind = 0; kind < count.length; kind++) {
                out.writeInt(count[kind]);
                for (int k = 0; k < delivered[kind].length; k++) {
                    out.writeLong(delivered[kind][k]);
                    out.writeLong(sent[kind][k]);
                }
            }
        }
    }

    public static LatencyLog read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int kinds = in.readInt();
            int msgs = in.readInt();
            String problem = in.readUTF();
            long[][] d = new long[kinds][msgs];
            long[][] s = new long[kinds][msgs];
            int[] c = new int[kinds];
            for (int kind = 0; kind < kinds; kind++) {
                c[kind] = in.readInt();
                for (int k = 0; k < msgs; k++) {
                    d[kind][k] = in.readLong();
                    s[kind][k] = in.readLong();
                }
            }
            return new LatencyLog(d, c, s, problem.isEmpty() ? null : problem);
        }
    }
}
