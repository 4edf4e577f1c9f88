package org.troupe.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pacing side channel of {@code bench latency}: a small file mapped into every member's JVM
 * on the machine. It holds, per kind, one slot per member with how many messages of that kind the
 * member has delivered, and a tally of all their deliveries of that kind; and the port on which
 * the sender waits.
 *
 * <p>A member publishes a delivery with one ordered store to its slot and one atomic add to the
 * tally: no system call, no thread woken. The member whose add completes the tally for the
 * message (it delivered it last) sends the sender one datagram, after it has stamped its delivery,
 * when nothing of the message is in flight any more. The sender sleeps on its socket until then,
 * using no processor while the members deliver; it looks at the board again every
 * {@link #RECHECK_MILLIS} ms in case a datagram was lost. Nothing measured passes through the
 * board: latencies come from the members' own logs ({@link LatencyLog}), so it only spaces the
 * messages out.
 */
public final class DeliveryBoard implements AutoCloseable {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** How long the sender sleeps on its socket before it looks at the board anyway. */
    static final int RECHECK_MILLIS = 2;
    private static final int PORT_SLOT = 0;
    private final FileChannel file;
    private final MappedByteBuffer slots;
    private final int kinds;
    private final int members;
    private final int recheckMillis;
    private final java.util.concurrent.atomic.AtomicLong wakeups = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong sleeps = new java.util.concurrent.atomic.AtomicLong();
    private DatagramSocket waker; // a member's, to wake the sender (opened on first use)
    private DatagramSocket waiting; // the sender's, once it waits

    private DeliveryBoard(FileChannel file, MappedByteBuffer slots, int kinds, int members, int recheckMillis) {
        this.recheckMillis = recheckMillis;
        this.file = file;
        this.slots = slots;
        this.kinds = kinds;
        this.members = members;
    }

    /** Maps the board file (created, zero-filled, if absent) for {@code kinds} kinds of N members. */
    public static DeliveryBoard open(Path path, int kinds, int members) throws IOException {
        return open(path, kinds, members, RECHECK_MILLIS);
    }

    /** {@link #open(Path, int, int)}, the sender looking at the board every {@code recheckMillis} when not woken. */
    static DeliveryBoard open(Path path, int kinds, int members, int recheckMillis) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long bytes = 8L * (1 + kinds + (long) kinds * members);
        MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        return new DeliveryBoard(ch, b, kinds, members, recheckMillis);
    }

    /**
     * Member {@code member} has delivered {@code count} messages of kind {@code kind} (one more
     * than before). The member that completes the message for every member wakes the sender.
     */
    public void delivered(int kind, int member, long count) {
        LONGS.setRelease(slots, offset(kind, member), count);
        long all = (long) LONGS.getAndAdd(slots, tally(kind), 1L) + 1;
        if (all == count * members) {
            wakeSender();
        }
    }

    /** How many messages of {@code kind} member {@code member} has delivered. */
    public long count(int kind, int member) {
        return (long) LONGS.getAcquire(slots, offset(kind, member));
    }

    /**
     * Waits until every member has delivered {@code count} messages of {@code kind}; throws,
     * naming the members that lag, if that takes longer than {@code timeoutNanos}.
     */
    public void awaitAll(int kind, long count, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        DatagramSocket socket = senderSocket();
        DatagramPacket wake = new DatagramPacket(new byte[1], 1);
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
            sleeps.incrementAndGet(); // a wake-up sent from now on is held by the bound socket
            try {
                socket.receive(wake); // an earlier message's late wake-up only makes it look again
                wakeups.incrementAndGet();
            } catch (SocketTimeoutException e) {
                // look at the board again
            }
        }
    }

    /** How many wake-ups the sender has received. */
    long wakeups() {
        return wakeups.get();
    }

    /**
     * True once the sender has found a member lagging and sleeps on its socket (its port on the
     * board): from then on only a wake-up or the re-check ends the wait.
     */
    boolean senderSleeps() {
        return sleeps.get() > 0 && (long) LONGS.getAcquire(slots, 8 * PORT_SLOT) > 0;
    }

    /** The sender's socket, bound on first use, its port on the board for the members. */
    private synchronized DatagramSocket senderSocket() throws IOException {
        if (waiting == null) {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.setSoTimeout(recheckMillis);
            waiting = s;
            LONGS.setRelease(slots, 8 * PORT_SLOT, (long) s.getLocalPort());
        }
        return waiting;
    }

    /** One datagram to the sender's port, if it waits already; a failure only costs it a re-check. */
    private void wakeSender() {
        long port = (long) LONGS.getAcquire(slots, 8 * PORT_SLOT);
        if (port <= 0) {
            return;
        }
        try {
            synchronized (this) {
                if (waker == null) {
                    waker = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                }
                waker.send(new DatagramPacket(new byte[1], 1, InetAddress.getLoopbackAddress(), (int) port));
            }
        } catch (IOException e) {
            // the sender looks at the board again within RECHECK_MILLIS
        }
    }

    private int tally(int kind) {
        return 8 * (1 + kind);
    }

    private int offset(int kind, int member) {
        return 8 * (1 + kinds + kind * members + member);
    }

    @Override
    public synchronized void close() throws IOException {
        if (waker != null) {
            waker.close();
        }
        if (waiting != null) {
            waiting.close();
        }
        file.close();
    }
}
