package org.troupe.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Every delivery one member of {@code bench failover} made, in delivery order: the sender's
 * index, its message number, the sequence id and the delivery time (epoch microseconds, the
 * same clock in every process of the machine), and how many members went out of the view.
 * Written once at the end; at most {@value #MAX} deliveries are kept (the bench sends far fewer).
 */
public final class DeliveryLog {
    /** The most deliveries kept: a bound on memory, far above what a bench run sends. */
    public static final int MAX = 20_000_000;

    private int n;
    private int[] senders = new int[1024];
    private long[] numbers = new long[1024];
    private long[] sequenceIds = new long[1024];
    private long[] micros = new long[1024];
    private long removed;
    private String closed;
    private final Set<Long> distinct = new HashSet<>();

    /** Records one delivery. */
    public synchronized void delivered(long sender, long k, long sequenceId, long atMicros) {
        if (n == MAX) {
            throw new IllegalStateException("more than " + MAX + " deliveries");
        }
        if (n == senders.length) {
            int cap = Math.min(MAX, n * 2);
            senders = Arrays.copyOf(senders, cap);
            numbers = Arrays.copyOf(numbers, cap);
            sequenceIds = Arrays.copyOf(sequenceIds, cap);
            micros = Arrays.copyOf(micros, cap);
        }
        senders[n] = (int) sender;
        numbers[n] = k;
        sequenceIds[n] = sequenceId;
        micros[n] = atMicros;
        n++;
        distinct.add(sender << 40 | k);
        notifyAll();
    }

    /** A view change that took {@code out} members out of the view. */
    public synchronized void viewChanged(int out) {
        removed += out;
    }

    /** The member's group handle closed (it is out): nothing more will come. */
    public synchronized void closed(String reason) {
        closed = reason == null ? "closed" : reason;
        notifyAll();
    }

    public synchronized int size() {
        return n;
    }

    /**
     * Waits until every message {@code k < expected[s]} of every sender {@code s} has been
     * delivered, the handle closed, or nothing new came for {@code quietMillis}.
     */
    public synchronized void awaitAll(long[] expected, long quietMillis) throws InterruptedException {
        long want = 0;
        for (long e : expected) {
            want += e;
        }
        int seen = n;
        long quietSince = System.nanoTime();
        while (distinctDelivered(expected) < want && closed == null) {
            if (n != seen) {
                seen = n;
                quietSince = System.nanoTime();
            }
            long left = quietMillis - (System.nanoTime() - quietSince) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            wait(Math.min(left, 200));
        }
    }

    private long distinctDelivered(long[] expected) {
        long c = 0;
        for (long key : distinct) {
            int s = (int) (key >>> 40);
            long k = key & ((1L << 40) - 1);
            if (s < expected.length && k < expected[s]) {
                c++;
            }
        }
        return c;
    }

    public synchronized void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeLong(removed);
            out.writeUTF(closed == null ? "" : closed);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeInt(senders[i]);
                out.writeLong(numbers[i]);
                out.writeLong(sequenceIds[i]);
                out.writeLong(micros[i]);
            }
        }
    }

    /**
     * One member's deliveries, read back.
     *
     * @param removed members that went out of the view while it ran
     * @param closed why its handle closed ("" if it did not)
     */
    public record Record(long removed, String closed, int[] senders, long[] numbers, long[] sequenceIds,
            long[] micros) {
        public int size() {
            return senders.length;
        }

        public static Record read(Path file) throws IOException {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                long removed = in.readLong();
                String closed = in.readUTF();
                int n = in.readInt();
                int[] s = new int[n];
                long[] k = new long[n];
                long[] seq = new long[n];
                long[] t = new long[n];
                for (int i = 0; i < n; i++) {
                    s[i] = in.readInt();
                    k[i] = in.readLong();
                    seq[i] = in.readLong();
                    t[i] = in.readLong();
                }
                return new Record(removed, closed, s, k, seq, t);
            }
        }
    }
}
