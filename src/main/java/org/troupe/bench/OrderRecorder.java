package org.troupe.bench;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * What one member of {@code bench total-order} delivered: for each message (global id
 * {@code g = sender * perSender + k}) its send and delivery times in epoch microseconds, and a
 * hash of the delivery order. Both systems' bench members write the same file, so the
 * coordinator compares them the same way. The payload's first 24 bytes are sender index, k and
 * the send time (big-endian longs).
 */
public final class OrderRecorder {
    private static final Clock CLOCK = Clock.systemUTC();
    private final int perSender;
    private final long[] sendMicros;
    private final long[] deliveryMicros;
    private long orderHash = 17;
    private int delivered;
    private long duplicates;

    public OrderRecorder(int senders, int perSender) {
        this.perSender = perSender;
        this.sendMicros = new long[senders * perSender];
        this.deliveryMicros = new long[senders * perSender];
    }

    /** Epoch microseconds, the same clock in every process of the machine. */
    public static long nowMicros() {
        Instant i = CLOCK.instant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** A bench payload of {@code size} bytes (at least 24). */
    public static byte[] payload(int size, int sender, int k) {
        byte[] p = new byte[Math.max(24, size)];
        ByteBuffer.wrap(p).putLong(sender).putLong(k).putLong(nowMicros());
        return p;
    }

    /** Records one delivered payload; returns true once every message is in. */
    public boolean delivered(byte[] payload) {
        return delivered(payload, 0, payload.length);
    }

    /**
     * Records the payload at {@code payload[offset..offset+length)}; returns true once every
     * message is in. A repeated or malformed message counts as a duplicate (it still enters the
     * order hash, so a repeat also shows as an order difference).
     */
    public boolean delivered(byte[] payload, int offset, int length) {
        long now = nowMicros();
        if (length < 24) {
            duplicates++;
            return delivered == deliveryMicros.length;
        }
        ByteBuffer b = ByteBuffer.wrap(payload, offset, length);
        long sender = b.getLong(offset);
        long k = b.getLong(offset + 8);
        long gl = sender * perSender + k;
        if (sender < 0 || k < 0 || k >= perSender || gl >= deliveryMicros.length) {
            duplicates++;
            return delivered == deliveryMicros.length;
        }
        int g = (int) gl;
        if (deliveryMicros[g] != 0) {
            duplicates++;
            orderHash = orderHash * 1_000_003L + g + 1;
            return delivered == deliveryMicros.length;
        }
        sendMicros[g] = b.getLong(offset + 16);
        deliveryMicros[g] = now;
        orderHash = orderHash * 1_000_003L + g + 1;
        delivered++;
        return delivered == deliveryMicros.length;
    }

    public int count() {
        return delivered;
    }

    public void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeLong(orderHash);
            out.writeInt(deliveryMicros.length);
            out.writeLong(duplicates);
            for (int g = 0; g < deliveryMicros.length; g++) {
                out.writeLong(sendMicros[g]);
                out.writeLong(deliveryMicros[g]);
            }
        }
    }

    /** One member's file, read back. */
    public record Record(long orderHash, int count, long duplicates, long[] sendMicros, long[] deliveryMicros) {
        public static Record read(Path file) throws IOException {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file),
                    1 << 16))) {
                long hash = in.readLong();
                int n = in.readInt();
                long dups = in.readLong();
                long[] s = new long[n];
                long[] d = new long[n];
                for (int g = 0; g < n; g++) {
                    s[g] = in.readLong();
                    d[g] = in.readLong();
                }
                return new Record(hash, n, dups, s, d);
            }
        }
    }
}
