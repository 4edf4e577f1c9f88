package org.troupe.server.groups;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GroupCommand} as octets and back, for a replicated log: every field, in a fixed order,
 * so that every replica decodes the same command. Also the value types commands and snapshots
 * share (envelopes, references, addresses).
 */
public final class CommandCodec {
    private static final byte JOIN = 1;
    private static final byte LEAVE = 2;
    private static final byte SEND = 3;
    private static final byte ORDER = 4;
    private static final byte REMOVE = 5;
    private static final byte DELIVERED = 6;
    /** A push member's claim (added with snapshot format 4; older servers do not read it). */
    private static final byte PUSHER = 7;
    /** A position with its pusher's claim: written only when there is a pusher, so a pull position stays kind 6. */
    private static final byte DELIVERED_BY = 8;

    private CommandCodec() {
    }

    public static byte[] encode(GroupCommand c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(c instanceof GroupCommand.Send s
                ? 64 + 96 * s.messages().size() : 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static GroupCommand decode(byte[] octets) {
        try {
            return read(new DataInputStream(new ByteArrayInputStream(octets)));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a group command: " + e.getMessage(), e);
        }
    }

    public static void write(DataOutput out, GroupCommand c) throws IOException {
        if (c instanceof GroupCommand.Join j) {
            out.writeByte(JOIN);
            out.writeUTF(j.requestId());
            out.writeUTF(j.name());
            out.writeUTF(j.role());
            out.writeBoolean(j.volunteer());
            out.writeUTF(j.token());
        } else if (c instanceof GroupCommand.Leave l) {
            out.writeByte(LEAVE);
            out.writeLong(l.member());
            out.writeUTF(l.token());
        } else if (c instanceof GroupCommand.Send s) {
            out.writeByte(SEND);
            out.writeLong(s.member());
            out.writeUTF(s.token());
            out.writeInt(s.messages().size());
            for (Envelope e : s.messages()) {
                writeEnvelope(out, e);
            }
        } else if (c instanceof GroupCommand.Order o) {
            out.writeByte(ORDER);
            out.writeLong(o.member());
            out.writeUTF(o.token());
            out.writeInt(o.refs().size());
            for (Ref r : o.refs()) {
                writeRef(out, r);
            }
        } else if (c instanceof GroupCommand.Remove r) {
            out.writeByte(REMOVE);
            out.writeInt(r.removals().size());
            for (GroupCommand.Removal x : r.removals()) {
                out.writeLong(x.member());
                out.writeUTF(x.reason());
            }
        } else if (c instanceof GroupCommand.Delivered d) {
            out.writeByte(d.pusher().isEmpty() ? DELIVERED : DELIVERED_BY);
            out.writeLong(d.member());
            out.writeUTF(d.token());
            out.writeLong(d.sequenceId());
            if (!d.pusher().isEmpty()) {
                out.writeUTF(d.pusher());
            }
        } else if (c instanceof GroupCommand.Pusher p) {
            out.writeByte(PUSHER);
            out.writeLong(p.member());
            out.writeUTF(p.token());
            writeLongUTF(out, p.callback());
            out.writeUTF(p.pusher());
            out.writeLong(p.expectedVersion());
        } else {
            throw new IllegalArgumentException("unknown command " + c);
        }
        out.writeLong(c.now());
    }

    public static GroupCommand read(DataInput in) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case JOIN: {
                String request = in.readUTF();
                String name = in.readUTF();
                String role = in.readUTF();
                boolean volunteer = in.readBoolean();
                String token = in.readUTF();
                return new GroupCommand.Join(request, name, role, volunteer, token, in.readLong());
            }
            case LEAVE: {
                long member = in.readLong();
                String token = in.readUTF();
                return new GroupCommand.Leave(member, token, in.readLong());
            }
            case SEND: {
                long member = in.readLong();
                String token = in.readUTF();
                int n = count(in);
                List<Envelope> messages = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    messages.add(readEnvelope(in));
                }
                return new GroupCommand.Send(member, token, messages, in.readLong());
            }
            case ORDER: {
                long member = in.readLong();
                String token = in.readUTF();
                int n = count(in);
                List<Ref> refs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    refs.add(readRef(in));
                }
                return new GroupCommand.Order(member, token, refs, in.readLong());
            }
            case REMOVE: {
                int n = count(in);
                List<GroupCommand.Removal> removals = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    removals.add(new GroupCommand.Removal(in.readLong(), in.readUTF()));
                }
                return new GroupCommand.Remove(removals, in.readLong());
            }
            case DELIVERED: {
                long member = in.readLong();
                String token = in.readUTF();
                long seq = in.readLong();
                return new GroupCommand.Delivered(member, token, seq, in.readLong());
            }
            case DELIVERED_BY: {
                long member = in.readLong();
                String token = in.readUTF();
                long seq = in.readLong();
                String pusher = in.readUTF();
                return new GroupCommand.Delivered(member, token, seq, pusher, in.readLong());
            }
            case PUSHER: {
                long member = in.readLong();
                String token = in.readUTF();
                String callback = readLongUTF(in);
                String pusher = in.readUTF();
                long expected = in.readLong();
                return new GroupCommand.Pusher(member, token, callback, pusher, expected, in.readLong());
            }
            default:
                throw new IOException("unknown command kind " + kind);
        }
    }

    /** The most octets a stringified reference may have (an IOR naming a few servers is a few KiB). */
    static final int MAX_LONG_UTF = 1 << 16;

    /** A string that may be longer than writeUTF's 65535 octets limit: its UTF-8 octets with their count. */
    static void writeLongUTF(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length > MAX_LONG_UTF) {
            throw new IllegalArgumentException("a string of " + b.length + " octets, over " + MAX_LONG_UTF);
        }
        out.writeInt(b.length);
        out.write(b);
    }

    static String readLongUTF(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LONG_UTF) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    static int count(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    static void writeRef(DataOutput out, Ref r) throws IOException {
        out.writeLong(r.source());
        out.writeLong(r.messageId());
    }

    static Ref readRef(DataInput in) throws IOException {
        return new Ref(in.readLong(), in.readLong());
    }

    static void writeAddress(DataOutput out, Address a) throws IOException {
        out.writeByte(a.kind().ordinal());
        out.writeUTF(a.role());
        out.writeLong(a.member());
    }

    static Address readAddress(DataInput in) throws IOException {
        int k = in.readByte();
        if (k < 0 || k >= Address.Kind.values().length) {
            throw new IOException("bad address kind " + k);
        }
        return new Address(Address.Kind.values()[k], in.readUTF(), in.readLong());
    }

    static void writeEnvelope(DataOutput out, Envelope e) throws IOException {
        out.writeLong(e.messageId());
        out.writeLong(e.source());
        writeAddress(out, e.destination());
        out.writeUTF(e.type());
        out.writeInt(e.payload().length);
        out.write(e.payload());
        out.writeBoolean(e.proactive());
        writeRef(out, e.answers());
        out.writeBoolean(e.sequenced());
        out.writeLong(e.after());
    }

    static Envelope readEnvelope(DataInput in) throws IOException {
        long id = in.readLong();
        long source = in.readLong();
        Address to = readAddress(in);
        String type = in.readUTF();
        byte[] payload = new byte[count(in)];
        in.readFully(payload);
        boolean proactive = in.readBoolean();
        Ref answers = readRef(in);
        boolean sequenced = in.readBoolean();
        return new Envelope(id, source, to, type, payload, proactive, answers, sequenced, in.readLong());
    }
}
