package org.troupe.member.stack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The payloads of state transfer's two system messages. A request carries the joiner's attempt
 * number and the sequence id of its join's view; a reply is one or more chunks, each with the
 * attempt, the request's sequence id, its index and the count, and a slice of one blob: the
 * unsequenced messages the state includes (source, message id pairs), then the state. A reply
 * with no state is one chunk carrying the reason. Malformed input throws
 * {@link IllegalArgumentException} with what is wrong.
 */
public final class StateChunks {
    private static final int VERSION = 1;
    /** Bytes of a chunk's header. */
    static final int HEADER = 4 + 4 + 8 + 4 + 4 + 1;
    /** The largest state a joiner accepts (it holds the chunks in memory until the last one). */
    public static final long MAX_STATE = 256L << 20;

    /** A state request. */
    public record Request(int attempt, long joinSequenceId) {
    }

    /** One chunk of a reply. */
    public record Chunk(int attempt, long sequenceId, int index, int count, boolean available, byte[] data) {
    }

    /** A whole reply: what the state includes, and the state. */
    public record Assembled(long[] delivered, byte[] state) {
    }

    private StateChunks() {
    }

    /** The payload of a request. */
    public static byte[] request(int attempt, long joinSequenceId) {
        return ByteBuffer.allocate(16).putInt(VERSION).putInt(attempt).putLong(joinSequenceId).array();
    }

    /** Reads a request's payload. */
    public static Request parseRequest(byte[] payload) {
        if (payload.length != 16) {
            throw new IllegalArgumentException("a state request has 16 bytes, not " + payload.length);
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        version(b.getInt());
        return new Request(b.getInt(), b.getLong());
    }

    /** The chunks of a reply carrying {@code state}, each at most {@code maxPayload} bytes. */
    public static List<byte[]> reply(int attempt, long sequenceId, long[] delivered, byte[] state, long maxPayload) {
        int slice = (int) Math.min(Integer.MAX_VALUE - 64, maxPayload - HEADER);
        if (slice < 64) {
            throw new IllegalArgumentException("payload limit " + maxPayload + " is too small for state transfer");
        }
        ByteArrayOutputStream blob = new ByteArrayOutputStream(4 + delivered.length * 8 + state.length);
        try (DataOutputStream out = new DataOutputStream(blob)) {
            out.writeInt(delivered.length / 2);
            for (long v : delivered) {
                out.writeLong(v);
            }
            out.write(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] all = blob.toByteArray();
        int count = Math.max(1, (all.length + slice - 1) / slice);
        List<byte[]> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * slice;
            chunks.add(chunk(attempt, sequenceId, i, count, true, Arrays.copyOfRange(all, from,
                    Math.min(all.length, from + slice))));
        }
        return chunks;
    }

    /** The one chunk of a reply without state, saying why. */
    public static byte[] none(int attempt, long sequenceId, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return chunk(attempt, sequenceId, 0, 1, false, Arrays.copyOf(text, Math.min(text.length, 1000)));
    }

    private static byte[] chunk(int attempt, long sequenceId, int index, int count, boolean available, byte[] data) {
        return ByteBuffer.allocate(HEADER + data.length).putInt(VERSION).putInt(attempt).putLong(sequenceId)
                .putInt(index).putInt(count).put((byte) (available ? 1 : 0)).put(data).array();
    }

    /** Reads one chunk. */
    public static Chunk parseChunk(byte[] payload) {
        if (payload.length < HEADER) {
            throw new IllegalArgumentException("a state chunk has at least " + HEADER + " bytes, not " + payload.length);
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        version(b.getInt());
        int attempt = b.getInt();
        long seq = b.getLong();
        int index = b.getInt();
        int count = b.getInt();
        boolean available = b.get() != 0;
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("state chunk " + index + " of " + count);
        }
        return new Chunk(attempt, seq, index, count, available, Arrays.copyOfRange(payload, HEADER, payload.length));
    }

    /** Joins the data of a reply's chunks, in index order. */
    public static Assembled assemble(List<byte[]> data) {
        long total = 0;
        for (byte[] d : data) {
            total += d.length;
        }
        if (total > MAX_STATE + 4) {
            throw new IllegalArgumentException("state of " + total + " bytes is over the limit of " + MAX_STATE);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream((int) total);
        for (byte[] d : data) {
            all.writeBytes(d);
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all.toByteArray()))) {
            int pairs = in.readInt();
            if (pairs < 0 || pairs * 16L > total - 4) {
                throw new IllegalArgumentException("state reply names " + pairs + " messages in " + total + " bytes");
            }
            long[] delivered = new long[pairs * 2];
            for (int i = 0; i < delivered.length; i++) {
                delivered[i] = in.readLong();
            }
            return new Assembled(delivered, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalArgumentException("state reply is cut short: " + e.getMessage(), e);
        }
    }

    private static void version(int v) {
        if (v != VERSION) {
            throw new IllegalArgumentException("state transfer version " + v + " (this member speaks " + VERSION + ")");
        }
    }
}
