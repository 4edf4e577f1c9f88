package org.troupe.cdr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.jacorb.orb.CDROutputStream;

/**
 * The CDR octets of one struct value, encoded once and copied into every request that carries
 * it: a group channel pushes the same event to every member, and per-field marshalling (an
 * alignment check and padding for each field) costs more than copying the octets. An encoding
 * depends only on where it starts modulo 8 and on the stream's code sets and GIOP version (the
 * structs it is used for hold no anys, TypeCodes or valuetypes, whose encodings refer to
 * positions), so those are its key. Reads JacORB's private stream state through var handles;
 * where they are not available, every write marshals as usual.
 */
final class SharedEncoding {
    private static final VarHandle INDEX;
    private static final VarHandle BUFFER;
    private static final VarHandle CODE_SET;
    private static final VarHandle CODE_SET_W;

    static {
        VarHandle index = null;
        VarHandle buffer = null;
        VarHandle codeSet = null;
        VarHandle codeSetW = null;
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(CDROutputStream.class, MethodHandles.lookup());
            index = l.findVarHandle(CDROutputStream.class, "index", int.class);
            buffer = l.findVarHandle(CDROutputStream.class, "buffer", byte[].class);
            codeSet = l.findVarHandle(CDROutputStream.class, "codeSet", org.jacorb.orb.CodeSet.class);
            codeSetW = l.findVarHandle(CDROutputStream.class, "codeSetW", org.jacorb.orb.CodeSet.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            index = null; // another JacORB, or no access: marshal every time
        }
        INDEX = index;
        BUFFER = buffer;
        CODE_SET = codeSet;
        CODE_SET_W = codeSetW;
    }

    /** At most this many encodings per value (start alignments times code sets): they cost memory while queued. */
    private static final int MAX_ENCODINGS = 4;

    private record Encoded(int align, Object codeSet, Object codeSetW, int giopMinor, byte[] octets) {
        boolean fits(int a, Object cs, Object csw, int minor) {
            return align == a && codeSet == cs && codeSetW == csw && giopMinor == minor;
        }
    }

    private volatile Encoded[] encodings = new Encoded[0];
    private volatile boolean writtenOnce; // kept from the second write on: most events written once are never written again

    private SharedEncoding() {
    }

    /** True if this JacORB's streams can be read, so that encodings are shared. */
    static boolean available() {
        return INDEX != null;
    }

    /** A cache for one value, or null if this ORB's streams cannot be read (then marshal as usual). */
    static SharedEncoding create() {
        return INDEX == null ? null : new SharedEncoding();
    }

    /**
     * Writes {@code value} to {@code out}: the octets encoded earlier for the same start alignment,
     * code sets and GIOP version if there are any; else marshals it with {@code codec} and, from
     * the second write on, keeps what it wrote for the next request.
     */
    void write(org.omg.CORBA.portable.OutputStream out, StructCodec codec, Object value) {
        if (!(out instanceof CDROutputStream cdr)) {
            codec.write(out, value);
            return;
        }
        int align = (int) INDEX.get(cdr) & 7;
        Object cs = CODE_SET.get(cdr);
        Object csw = CODE_SET_W.get(cdr);
        int minor = cdr.getGIOPMinor();
        Encoded[] known = encodings;
        for (Encoded e : known) {
            if (e.fits(align, cs, csw, minor)) {
                cdr.write_octet_array(e.octets, 0, e.octets.length);
                return;
            }
        }
        int start = cdr.get_pos();
        codec.write(cdr, value);
        if (!writtenOnce) {
            writtenOnce = true;
        } else if (known.length < MAX_ENCODINGS) {
            byte[] octets = Arrays.copyOfRange((byte[]) BUFFER.get(cdr), start, cdr.get_pos());
            Encoded[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = new Encoded(align, cs, csw, minor, octets);
            encodings = more; // a race loses an encoding, never a write
        }
    }
}
