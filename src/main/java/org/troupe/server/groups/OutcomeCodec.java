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
 * An {@link Outcome}'s answer (its result or its refusal) as octets and back: what a replicated
 * log returns to whoever submitted the command, on whichever server. The events are not encoded:
 * the server that hosts the group publishes them as it applies the command.
 */
public final class OutcomeCodec {
    private static final byte NONE = 0;
    private static final byte TICKET = 1;
    private static final byte COUNT = 2;
    private static final byte MEMBER = 3;
    private static final byte MEMBERS = 4;
    private static final byte REFUSED = 5;

    private OutcomeCodec() {
    }

    public static byte[] encode(Outcome o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (o.refused()) {
                out.writeByte(REFUSED);
                writeRefusal(out, o.refusal());
            } else {
                writeResult(out, o.result());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The outcome with its answer only (no events). */
    public static Outcome decode(byte[] octets) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(octets));
            byte kind = in.readByte();
            if (kind == REFUSED) {
                return Outcome.refused(readRefusal(in));
            }
            return new Outcome(readResult(in, kind), null, List.of());
        } catch (IOException e) {
            throw new IllegalArgumentException("not a group outcome: " + e.getMessage(), e);
        }
    }

    private static void writeResult(DataOutput out, Object r) throws IOException {
        if (r == null) {
            out.writeByte(NONE);
        } else if (r instanceof Ticket t) {
            out.writeByte(TICKET);
            writeMember(out, t.member());
            out.writeUTF(t.token());
            Snapshots.writeView(out, t.view());
            out.writeLong(t.viewSequenceId());
            out.writeInt(t.turnPositions().length);
            for (int p : t.turnPositions()) {
                out.writeInt(p);
            }
            out.writeBoolean(t.retried());
        } else if (r instanceof Integer n) {
            out.writeByte(COUNT);
            out.writeInt(n);
        } else if (r instanceof MemberInfo m) {
            out.writeByte(MEMBER);
            writeMember(out, m);
        } else if (r instanceof List<?> list) {
            out.writeByte(MEMBERS);
            out.writeInt(list.size());
            for (Object m : list) {
                writeMember(out, (MemberInfo) m);
            }
        } else {
            throw new IllegalArgumentException("no encoding for a result " + r.getClass().getName());
        }
    }

    private static Object readResult(DataInput in, byte kind) throws IOException {
        switch (kind) {
            case NONE:
                return null;
            case TICKET: {
                MemberInfo m = readMember(in);
                String token = in.readUTF();
                View v = Snapshots.readView(in);
                long seq = in.readLong();
                int[] turns = new int[CommandCodec.count(in)];
                for (int i = 0; i < turns.length; i++) {
                    turns[i] = in.readInt();
                }
                return new Ticket(m, token, v, seq, turns, in.readBoolean());
            }
            case COUNT:
                return in.readInt();
            case MEMBER:
                return readMember(in);
            case MEMBERS: {
                int n = CommandCodec.count(in);
                List<MemberInfo> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(readMember(in));
                }
                return out;
            }
            default:
                throw new IOException("unknown result kind " + kind);
        }
    }

    private static void writeMember(DataOutput out, MemberInfo m) throws IOException {
        out.writeLong(m.id());
        out.writeUTF(m.name());
        out.writeUTF(m.role());
    }

    private static MemberInfo readMember(DataInput in) throws IOException {
        return new MemberInfo(in.readLong(), in.readUTF(), in.readUTF());
    }

    private static void writeStrings(DataOutput out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            out.writeUTF(s);
        }
    }

    private static List<String> readStrings(DataInput in) throws IOException {
        int n = CommandCodec.count(in);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }

    private static void writeRefusal(DataOutput out, Refusal r) throws IOException {
        if (r instanceof Refusal.UnknownRole x) {
            out.writeByte(1);
            out.writeUTF(x.role());
            writeStrings(out, x.roles());
        } else if (r instanceof Refusal.RoleFull x) {
            out.writeByte(2);
            out.writeUTF(x.role());
            out.writeInt(x.max());
        } else if (r instanceof Refusal.AlreadyMember x) {
            out.writeByte(3);
            out.writeUTF(x.name());
            out.writeLong(x.member());
        } else if (r instanceof Refusal.NotMember x) {
            out.writeByte(4);
            out.writeLong(x.member());
            out.writeUTF(x.reason());
        } else if (r instanceof Refusal.ForgedSender x) {
            out.writeByte(5);
            out.writeLong(x.claimed());
            out.writeLong(x.actual());
        } else if (r instanceof Refusal.TypeNotAllowed x) {
            out.writeByte(6);
            out.writeUTF(x.type());
            writeStrings(out, x.allowed());
        } else if (r instanceof Refusal.MessageTooLarge x) {
            out.writeByte(7);
            out.writeInt(x.size());
            out.writeInt(x.limit());
        } else if (r instanceof Refusal.BadMessage x) {
            out.writeByte(8);
            out.writeInt(x.index());
            out.writeUTF(x.reason());
        } else if (r instanceof Refusal.NotSequencer x) {
            out.writeByte(9);
            out.writeLong(x.sequencer());
        } else if (r instanceof Refusal.BadOrder x) {
            out.writeByte(10);
            out.writeInt(x.index());
            out.writeUTF(x.reason());
        } else if (r instanceof Refusal.ResponseRefused x) {
            out.writeByte(11);
            out.writeInt(x.index());
            CommandCodec.writeRef(out, x.answers());
            out.writeUTF(x.reason());
        } else if (r instanceof Refusal.OutOfTurn x) {
            out.writeByte(12);
            out.writeInt(x.index());
            out.writeUTF(x.type());
            out.writeUTF(x.expectedRole());
        } else if (r instanceof Refusal.BadRequest x) {
            out.writeByte(13);
            out.writeUTF(x.reason());
        } else if (r instanceof Refusal.Gone x) {
            out.writeByte(14);
            out.writeUTF(x.reason());
        } else {
            throw new IllegalArgumentException("no encoding for a refusal " + r);
        }
    }

    private static Refusal readRefusal(DataInput in) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case 1:
                return new Refusal.UnknownRole(in.readUTF(), readStrings(in));
            case 2:
                return new Refusal.RoleFull(in.readUTF(), in.readInt());
            case 3:
                return new Refusal.AlreadyMember(in.readUTF(), in.readLong());
            case 4:
                return new Refusal.NotMember(in.readLong(), in.readUTF());
            case 5:
                return new Refusal.ForgedSender(in.readLong(), in.readLong());
            case 6:
                return new Refusal.TypeNotAllowed(in.readUTF(), readStrings(in));
            case 7:
                return new Refusal.MessageTooLarge(in.readInt(), in.readInt());
            case 8:
                return new Refusal.BadMessage(in.readInt(), in.readUTF());
            case 9:
                return new Refusal.NotSequencer(in.readLong());
            case 10:
                return new Refusal.BadOrder(in.readInt(), in.readUTF());
            case 11:
                return new Refusal.ResponseRefused(in.readInt(), CommandCodec.readRef(in), in.readUTF());
            case 12:
                return new Refusal.OutOfTurn(in.readInt(), in.readUTF(), in.readUTF());
            case 13:
                return new Refusal.BadRequest(in.readUTF());
            case 14:
                return new Refusal.Gone(in.readUTF());
            default:
                throw new IOException("unknown refusal kind " + kind);
        }
    }
}
