package org.troupe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The part of a {@code bench latency} member that does not depend on the system under test:
 * payloads, the in-order check and log of deliveries ({@link LatencyLog}), publishing them on
 * the {@link DeliveryBoard}, the sender's loop (send message k, wait until every member has
 * delivered it, send k+1), and the stdin/stdout protocol with the coordinator:
 * {@code READY} (printed by the caller once its view is full), {@code GO}, {@code DONE} once the
 * log is written (its problems, if any, are in the log), then {@code EXIT} or the end of stdin.
 *
 * <p>Payload: big-endian longs kind and k, then zeros up to the size.
 */
public final class LatencyDriver {
    /** Kind 0: through the sequencer (total order). */
    public static final int SEQUENCED = 0;
    /** Kind 1: skips the sequencer (a turn). */
    public static final int REACTIVE = 1;
    /** Payload header: kind and k. */
    public static final int HEADER = 16;
    /** Longest a member waits without any progress before it gives up. */
    public static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(60);
    /**
     * Longest a member waits for the group to fill up: every member's JVM starts at once, and
     * sixteen of them starting on a loaded two-core machine have taken more than a minute.
     */
    public static final long FILL_NANOS = TimeUnit.SECONDS.toNanos(300);

    /** How the system under test sends one message. */
    @FunctionalInterface
    public interface Sender {
        void send(int kind, byte[] payload) throws Exception;
    }

    private final int index;
    private final int msgs;
    private final int size;
    private final int[] kinds;
    private final DeliveryBoard board;
    private final LatencyLog record;
    private final long gapMillis;
    private final int warmup;
    private int finishedKinds;

    /**
     * @param msgs messages of each kind (warm-up and measured)
     * @param kinds the kinds sent, in order ({@link #SEQUENCED}, {@link #REACTIVE})
     */
    public LatencyDriver(int index, int msgs, int size, int[] kinds, DeliveryBoard board) {
        this(index, msgs, size, kinds, board, 0, 0);
    }

    /**
     * {@link #LatencyDriver(int, int, int, int[], DeliveryBoard)}, the sender waiting {@code
     * gapMillis} between messages and sending the first {@code warmup} messages of every kind
     * before the measured ones of any (so that no kind is measured on processes the others warmed).
     */
    public LatencyDriver(int index, int msgs, int size, int[] kinds, DeliveryBoard board, long gapMillis, int warmup) {
        if (warmup < 0 || warmup > msgs) {
            throw new IllegalArgumentException("warm-up " + warmup + " not within the " + msgs + " messages of a kind");
        }
        this.warmup = warmup;
        this.gapMillis = gapMillis;
        this.index = index;
        this.msgs = msgs;
        this.size = Math.max(HEADER, size);
        this.kinds = kinds.clone();
        this.board = board;
        this.record = new LatencyLog(2, msgs);
    }

    public LatencyLog log() {
        return record;
    }

    /** A payload for message {@code k} of {@code kind}. */
    public byte[] payload(int kind, int k) {
        byte[] p = new byte[size];
        ByteBuffer.wrap(p).putLong(kind).putLong(k);
        return p;
    }

    /** A delivery, stamped by the caller the moment the system handed it over. */
    public void delivered(byte[] payload, int offset, int length, long nanos) {
        if (org.troupe.trace.HopTrace.ON) {
            org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.DELIVERED);
        }
        if (length < HEADER) {
            record.fail("delivered a message of " + length + " bytes, shorter than the bench's header");
        } else {
            ByteBuffer b = ByteBuffer.wrap(payload, offset, length);
            long kind = b.getLong(offset);
            long k = b.getLong(offset + 8);
            int n = record.delivered(kind == SEQUENCED || kind == REACTIVE ? (int) kind : -1, k, nanos);
            if (n > 0) {
                board.delivered((int) kind, index, n);
                if (n == msgs) {
                    synchronized (this) {
                        finishedKinds++;
                        notifyAll();
                    }
                }
                return;
            }
        }
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * The sender's loop: message k, then wait until every member delivered it; every kind's
     * warm-up messages first, then every kind's measured ones.
     */
    public void send(Sender sender) {
        try {
            for (int[] range : new int[][] {{0, warmup}, {warmup, msgs}}) {
                for (int kind : kinds) {
                    sendRange(sender, kind, range[0], range[1]);
                }
            }
        } catch (Exception | Error e) {
            record.fail("sender: " + e);
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Messages {@code [from, to)} of {@code kind}, one at a time. */
    private void sendRange(Sender sender, int kind, int from, int to) throws Exception {
        for (int k = from; k < to && record.problem() == null; k++) {
            byte[] p = payload(kind, k);
            if (org.troupe.trace.HopTrace.ON) {
                org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.SEND);
            }
            record.sent(kind, k, System.nanoTime());
            sender.send(kind, p);
            board.awaitAll(kind, k + 1, QUIET_NANOS);
            if (gapMillis > 0) {
                Thread.sleep(gapMillis); // think time: no message in flight, no figure taken
            }
        }
    }

    /** Wakes {@link #awaitDone}, e.g. after a problem was logged. */
    public synchronized void wake() {
        notifyAll();
    }

    /** Waits until every kind is delivered in full or something went wrong (then it is in the log). */
    public synchronized void awaitDone() throws InterruptedException {
        long progress = -1;
        long lastProgress = System.nanoTime();
        while (finishedKinds < kinds.length && record.problem() == null) {
            long now = 0;
            for (int kind : kinds) {
                now += record.count(kind);
            }
            if (now != progress) {
                progress = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > QUIET_NANOS) {
                StringBuilder s = new StringBuilder("nothing delivered for 60 s; delivered");
                for (int kind : kinds) {
                    s.append(" kind ").append(kind).append(": ").append(record.count(kind)).append(" of ").append(msgs);
                }
                record.fail(s.toString());
                return;
            }
            wait(200);
        }
    }

    /** After {@code READY}: waits for {@code GO}; false if stdin ended first. */
    public static boolean awaitGo(BufferedReader stdin) throws IOException {
        String line;
        while ((line = stdin.readLine()) != null) {
            if (line.trim().equals("GO")) {
                return true;
            }
        }
        return false;
    }

    /** Writes the log, says {@code DONE}, and waits for {@code EXIT} (or the end of stdin). */
    public void finish(Path out, PrintStream protocol, BufferedReader stdin) throws IOException {
        record.write(out);
        protocol.println("DONE");
        protocol.flush();
        String line;
        while ((line = stdin.readLine()) != null && !line.trim().equals("EXIT")) {
            // wait for the coordinator: leaving early would show in the others' views
        }
    }

    /** Standard input as lines. */
    public static BufferedReader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
}
