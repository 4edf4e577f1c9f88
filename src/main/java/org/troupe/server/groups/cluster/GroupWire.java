package org.troupe.server.groups.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.troupe.server.groups.CommandCodec;
import org.troupe.server.groups.GroupCommand;

/**
 * What the replicated log carries for a group: its creation (descriptor and payload limit), its
 * destruction, or one of its commands; and the yes/no answers of the first two.
 */
public final class GroupWire {
    enum Kind { CREATE, DESTROY, COMMAND, DECISION, DESTROY_IF_EMPTY }

    static final byte[] YES = {1};
    static final byte[] NO = {0};

    /** @param decidedIn for a {@link Kind#DECISION}: the Raft term of the leader that decided it (else 0) */
    /** @param joinKeyHash for a {@link Kind#CREATE}: the salted hash of the group's join key, or null for none */
    record Decoded(Kind kind, byte[] descriptor, int maxPayload, GroupCommand command, long decidedIn,
            String joinKeyHash) {
        Decoded(Kind kind, byte[] descriptor, int maxPayload, GroupCommand command, long decidedIn) {
            this(kind, descriptor, maxPayload, command, decidedIn, null);
        }
    }

    private GroupWire() {
    }

    /** A group's creation. */
    public static byte[] create(byte[] descriptor, int maxPayload) {
        return create(descriptor, maxPayload, null);
    }

    /**
     * A group's creation, with the salted hash of its join key (null: none). The hash follows the
     * payload limit; an entry written before join keys ends there, and is read as a group without one.
     */
    public static byte[] create(byte[] descriptor, int maxPayload, String joinKeyHash) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(descriptor.length + 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(Kind.CREATE.ordinal());
            out.writeInt(descriptor.length);
            out.write(descriptor);
            out.writeInt(maxPayload);
            if (joinKeyHash != null) {
                out.writeUTF(joinKeyHash);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A group's destruction. */
    public static byte[] destroy() {
        return new byte[] {(byte) Kind.DESTROY.ordinal()};
    }

    /**
     * A group's destruction if it has no member when the entry is applied: what a server that
     * found the group empty for too long asks, so that a join committed meanwhile keeps it.
     */
    public static byte[] destroyIfEmpty() {
        return new byte[] {(byte) Kind.DESTROY_IF_EMPTY.ordinal()};
    }

    /** One of a group's commands. */
    public static byte[] command(GroupCommand c) {
        byte[] body = CommandCodec.encode(c);
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) Kind.COMMAND.ordinal();
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * A decision only the group's leader makes (a removal for silence, a cut-off consumer, a
     * stalled sequencer holder), stamped with the term in which that server led: applied only in
     * the same term, so a deposed leader that goes on deciding (cut off from the others but not
     * stopped) changes nothing once another server leads.
     */
    static byte[] decision(GroupCommand c, long term) {
        byte[] body = CommandCodec.encode(c);
        byte[] out = new byte[body.length + 9];
        out[0] = (byte) Kind.DECISION.ordinal();
        for (int i = 0; i < 8; i++) {
            out[1 + i] = (byte) (term >>> (56 - 8 * i));
        }
        System.arraycopy(body, 0, out, 9, body.length);
        return out;
    }

    static Decoded decode(byte[] octets) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(octets));
            int k = in.readByte();
            if (k == Kind.CREATE.ordinal()) {
                byte[] d = new byte[in.readInt()];
                in.readFully(d);
                int maxPayload = in.readInt();
                String joinKeyHash = in.available() > 0 ? in.readUTF() : null;
                return new Decoded(Kind.CREATE, d, maxPayload, null, 0, joinKeyHash);
            }
            if (k == Kind.DESTROY.ordinal()) {
                return new Decoded(Kind.DESTROY, null, 0, null, 0);
            }
            if (k == Kind.DESTROY_IF_EMPTY.ordinal()) {
                return new Decoded(Kind.DESTROY_IF_EMPTY, null, 0, null, 0);
            }
            if (k == Kind.COMMAND.ordinal()) {
                return new Decoded(Kind.COMMAND, null, 0, CommandCodec.read(in), 0);
            }
            if (k == Kind.DECISION.ordinal()) {
                long term = in.readLong();
                return new Decoded(Kind.DECISION, null, 0, CommandCodec.read(in), term);
            }
            throw new IOException("unknown kind " + k);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a group entry: " + e.getMessage(), e);
        }
    }

    /** True if a creation created, or a destruction destroyed. */
    public static boolean yes(byte[] answer) {
        return answer != null && answer.length == 1 && answer[0] == 1;
    }
}
