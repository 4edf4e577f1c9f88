package org.troupe.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The pacing side channel of {@code bench latency}: a small file mapped into every member's JVM
 * on the machine, one slot per (kind, member) holding how many messages of that kind the member
 * has delivered. A member publishes a delivery with one ordered memory store (no system call, no
 * thread woken); the sender polls the slots until every member has the message, then sends the
 * next. Nothing measured passes through it: latencies come from the members' own logs
 * ({@link LatencyLog}), so the board only spaces the messages out.
 */
public final class DeliveryBoard implements AutoCloseable {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** How long the sender sleeps between two looks at the board. */
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private final FileChannel file;
    private final MappedByteBuffer slots;
    private final int members;

    private DeliveryBoard(FileChannel file, MappedByteBuffer slots, int members) {
        this.file = file;
        this.slots = slots;
        this.members = members;
    }

    /** Maps the board file (created, zero-filled, if absent) for {@code kinds} kinds of N members. */
    public static DeliveryBoard open(Path path, int kinds, int members) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long bytes = 8L * kinds * members;
        MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        return new DeliveryBoard(ch, b, members);
    }

    /** Member {@code member} has delivered {@code count} messages of kind {@code kind}. */
    public void delivered(int kind, int member, long count) {
        LONGS.setRelease(slots, offset(kind, member), count);
    }

    /** How many messages of {@code kind} member {@code member} has delivered. */
    public long count(int kind, int member) {
        return (long) LONGS.getAcquire(slots, offset(kind, member));
    }

    /**
     * Waits until every member has delivered {@code count} messages of {@code kind}; throws,
     * naming the members that lag, if that takes longer than {@code timeoutNanos}.
     */
    public void awaitAll(int kind, long count, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        int from = 0;
        while (true) {
            while (from < members && count(kind, from) >= count) {
                from++;
            }
            if (from == members) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                List<String> lagging = new ArrayList<>();
                for (int m = 0; m < members; m++) {
                    if (count(kind, m) < count) {
                        lagging.add("member " + m + " at " + count(kind, m));
                    }
                }
                throw new IllegalStateException("message " + (count - 1) + " of kind " + kind + " not delivered by every"
                        + " member within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s: " + lagging);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private int offset(int kind, int member) {
        return 8 * (kind * members + member);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
