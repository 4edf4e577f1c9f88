package org.troupe.bench.jgroups;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.MessageBatch;

/**
 * The JGroups receiver of a bench member: records every delivered bench message in delivery order
 * (no logging per message), and tells when the view is complete and when every message arrived.
 */
final class DeliveryRecorder implements Receiver {
    /** Bytes of the header every bench payload starts with: sender index, message number, send time. */
    static final int HEADER = 24;

    private static final Clock CLOCK = Clock.systemUTC();

    private final int members;
    private final int perSender;
    private final int total;
    private final long[] sendMicros;
    private final long[] deliveryMicros;
    private final boolean[] seen;
    private final CountDownLatch viewComplete = new CountDownLatch(1);
    private final CountDownLatch allDelivered;

    private long orderHash = 17;
    private int delivered;
    private long duplicates;

    DeliveryRecorder(int members, int senders, int perSender) {
        this.members = members;
        this.perSender = perSender;
        this.total = Math.multiplyExact(senders, perSender);
        this.sendMicros = new long[total];
        this.deliveryMicros = new long[total];
        this.seen = new boolean[total];
        this.allDelivered = new CountDownLatch(total == 0 ? 0 : 1);
    }

    /** Microseconds since the epoch, the same clock in every bench process. */
    static long nowMicros() {
        Instant now = CLOCK.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    @Override
    public void viewAccepted(View view) {
        System.err.println("jgroups member: view " + view);
        if (view.size() >= members) {
            viewComplete.countDown();
        }
    }

    @Override
    public synchronized void receive(Message msg) {
        record(msg, nowMicros());
    }

    @Override
    public synchronized void receive(MessageBatch batch) {
        for (Message msg : batch) {
            record(msg, nowMicros());
        }
    }

    private void record(Message msg, long now) {
        byte[] b = msg.getArray();
        int off = msg.getOffset();
        if (b == null || msg.getLength() < HEADER) {
            duplicates++; // not a bench message: an anomaly all the same
            return;
        }
        long sender = getLong(b, off);
        long k = getLong(b, off + 8);
        if (sender < 0 || k < 0 || k >= perSender || sender * perSender + k >= total) {
            duplicates++;
            return;
        }
        int g = (int) (sender * perSender + k);
        orderHash = orderHash * 1_000_003L + g + 1;
        if (seen[g]) {
            duplicates++;
            return;
        }
        seen[g] = true;
        sendMicros[g] = getLong(b, off + 16);
        deliveryMicros[g] = now;
        if (++delivered == total) {
            allDelivered.countDown();
        }
    }

    boolean awaitView(long timeout, TimeUnit unit) throws InterruptedException {
        return viewComplete.await(timeout, unit);
    }

    void awaitAllDelivered() throws InterruptedException {
        allDelivered.await();
    }

    synchronized int delivered() {
        return delivered;
    }

    /**
     * Writes {@code long orderHash, int count, long duplicates}, then per global id
     * {@code long sendMicros, long deliveryMicros}.
     */
    synchronized void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeLong(orderHash);
            out.writeInt(total);
            out.writeLong(duplicates);
            for (int g = 0; g < total; g++) {
                out.writeLong(sendMicros[g]);
                out.writeLong(deliveryMicros[g]);
            }
        }
    }
}
