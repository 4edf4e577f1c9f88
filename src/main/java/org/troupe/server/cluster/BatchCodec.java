package org.troupe.server.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one Raft entry (a batch of commands, each for a named state) and of its reply
 * (one result or error per command, in the same order).
 *
 * <pre>
 * entry  := VERSION count:int { name:utf command-length:int command-bytes }
 * reply  := VERSION count:int { status:byte length:int bytes }   status 0 = result, 1 = error text
 * </pre>
 */
final class BatchCodec {
    static final byte VERSION = 1;
    /** Per-command framing bytes on top of its name and payload. */
    static final int COMMAND_OVERHEAD = 2 + 4;
    /** The longest state name, in UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 1024;
    private static final byte OK = 0;
    private static final byte ERROR = 1;

    /** One command of a batch. */
    record Command(String stateName, byte[] payload) {
        int encodedSize() {
            return COMMAND_OVERHEAD + stateName.getBytes(StandardCharsets.UTF_8).length + payload.length;
        }
    }

    /** One command's outcome: a result, or the error text of a failed apply. */
    record Outcome(byte[] result, String error) {
        static Outcome ok(byte[] result) {
            return new Outcome(result == null ? new byte[0] : result, null);
        }

        static Outcome failed(String error) {
            return new Outcome(null, error);
        }

        boolean isError() {
            return error != null;
        }
    }

    private BatchCodec() {
    }

    static byte[] encodeEntry(List<Command> commands) {
        int size = 5;
        for (Command c : commands) {
            size += c.encodedSize();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(commands.size());
            for (Command c : commands) {
                out.writeUTF(c.stateName());
                out.writeInt(c.payload().length);
                out.write(c.payload());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IOException the bytes are not an entry of this version */
    static List<Command> decodeEntry(byte[] entry) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry));
        checkVersion(in.readByte(), "entry");
        int count = in.readInt();
        if (count < 0 || count > entry.length) {
            throw new IOException("entry claims " + count + " commands in " + entry.length + " bytes");
        }
        List<Command> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            out.add(new Command(name, readBytes(in, entry.length)));
        }
        return out;
    }

    static byte[] encodeReply(List<Outcome> outcomes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(outcomes.size());
            for (Outcome o : outcomes) {
                byte[] b = o.isError() ? o.error().getBytes(StandardCharsets.UTF_8) : o.result();
                out.writeByte(o.isError() ? ERROR : OK);
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IOException the bytes are not a reply of this version */
    static List<Outcome> decodeReply(byte[] reply) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply));
        checkVersion(in.readByte(), "reply");
        int count = in.readInt();
        if (count < 0 || count > reply.length) {
            throw new IOException("reply claims " + count + " outcomes in " + reply.length + " bytes");
        }
        List<Outcome> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte status = in.readByte();
            byte[] b = readBytes(in, reply.length);
            out.add(status == OK ? Outcome.ok(b) : Outcome.failed(new String(b, StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static byte[] readBytes(DataInputStream in, int limit) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > limit) {
            throw new IOException("a length of " + len + " in " + limit + " bytes");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    private static void checkVersion(byte v, String what) throws IOException {
        if (v != VERSION) {
            throw new IOException(what + " has format version " + v + ", this server reads " + VERSION);
        }
    }
}
