package org.troupe.cdr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.omg.CORBA.ORB;
import org.omg.CORBA.TCKind;
import org.omg.CORBA.TypeCode;
import org.omg.CORBA.TypeCodePackage.BadKind;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.OutputStream;

/**
 * Reads and writes the TypeCodes of events through caches, one per ORB. A complex TypeCode is
 * marshalled as its kind, then an encapsulation (length, octets) whose contents are aligned
 * relative to its own start: its octets can be encoded once and copied into any stream, and an
 * incoming one can be recognised by its octets and mapped to a TypeCode decoded before. JacORB
 * otherwise decodes and re-encodes the TypeCode of every event (measured: a quarter of the
 * channel's CPU).
 *
 * <p>Writing is keyed by repository id for kinds that have one (the same id names the same
 * type), by identity otherwise; reading by the octets. Each cache holds at most
 * {@value #MAX_ENTRIES} entries. Simple kinds, indirections and kinds outside the list below are
 * left to the ORB. A top-level TypeCode is free-standing (CORBA 3.0, 15.3.5.6: indirections exist
 * only inside an encoded TypeCode), so skipping the ORB's per-message TypeCode positions is safe.
 */
public final class TypeCodeCache {
    private static final int MAX_ENTRIES = 4096;
    private static final Map<ORB, TypeCodeCache> PER_ORB =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private final ORB orb;
    private final Map<Object, byte[]> encodings = new ConcurrentHashMap<>();
    private final Map<Encoded, TypeCode> decoded = new ConcurrentHashMap<>();
    /**
     * The TypeCodes read last, most recent first: a batch's events mostly share a few types (a
     * group's channel alternates Message and SequenceMessage), so most reads end here with one
     * array comparison, no hashing and no allocation.
     */
    private volatile Decoded[] recent = new Decoded[0];
    private static final int RECENT = 4;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1024]);

    private record Decoded(Encoded key, TypeCode tc) {
    }

    private TypeCodeCache(ORB orb) {
        this.orb = orb;
    }

    /** The cache of an ORB. */
    public static TypeCodeCache of(ORB orb) {
        return PER_ORB.computeIfAbsent(orb, TypeCodeCache::new);
    }

    /** Reads a TypeCode from {@code in}, as {@code in.read_TypeCode()} would. */
    public TypeCode read(InputStream in) {
        if (!(in instanceof org.jacorb.orb.CDRInputStream cdr)) {
            return in.read_TypeCode();
        }
        cdr.mark(0);
        int kind = cdr.read_ulong();
        if (!complex(kind)) {
            return reread(cdr);
        }
        int len = cdr.read_ulong();
        if (len < 0 || len > (1 << 16)) {
            return reread(cdr);
        }
        byte[] scratch = SCRATCH.get();
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, 2 * scratch.length)];
            SCRATCH.set(scratch);
        }
        cdr.read_octet_array(scratch, 0, len);
        Decoded[] seen = recent;
        for (Decoded d : seen) {
            byte[] o = d.key.octets();
            if (d.key.kind() == kind && o.length == len && java.util.Arrays.equals(o, 0, len, scratch, 0, len)) {
                return d.tc; // no hashing, no allocation
            }
        }
        byte[] octets = java.util.Arrays.copyOf(scratch, len);
        Encoded key = new Encoded(kind, octets);
        TypeCode tc = decoded.get(key);
        if (tc != null) {
            remember(seen, new Decoded(key, tc));
            return tc;
        }
        tc = reread(cdr);
        if (decoded.size() >= MAX_ENTRIES) {
            decoded.clear();
        }
        decoded.put(key, tc);
        remember(seen, new Decoded(key, tc));
        return tc;
    }

    /** Puts {@code d} first among the recent TypeCodes (racing readers may lose an entry: harmless). */
    private void remember(Decoded[] seen, Decoded d) {
        Decoded[] next = new Decoded[Math.min(RECENT, seen.length + 1)];
        next[0] = d;
        System.arraycopy(seen, 0, next, 1, next.length - 1);
        recent = next;
    }

    private static TypeCode reread(org.jacorb.orb.CDRInputStream cdr) {
        try {
            cdr.reset();
        } catch (java.io.IOException e) {
            throw new org.omg.CORBA.MARSHAL("Troupe: cannot re-read a TypeCode: " + e);
        }
        return cdr.read_TypeCode();
    }

    /** Writes {@code tc} to {@code out}, as {@code out.write_TypeCode(tc)} would. */
    public void write(OutputStream out, TypeCode tc) {
        int kind = tc.kind().value();
        if (!complex(kind)) {
            out.write_TypeCode(tc);
            return;
        }
        Object key = key(tc, kind);
        byte[] encaps = encodings.get(key);
        if (encaps == null) {
            encaps = encode(tc, kind);
            if (encaps == null) {
                out.write_TypeCode(tc);
                return;
            }
            if (encodings.size() >= MAX_ENTRIES) {
                encodings.clear();
            }
            encodings.put(key, encaps);
        }
        out.write_ulong(kind);
        out.write_ulong(encaps.length);
        out.write_octet_array(encaps, 0, encaps.length);
    }

    private static boolean complex(int kind) {
        switch (kind) {
            case TCKind._tk_objref, TCKind._tk_struct, TCKind._tk_union, TCKind._tk_enum, TCKind._tk_sequence,
                    TCKind._tk_array, TCKind._tk_alias, TCKind._tk_except:
                return true;
            default:
                return false; // simple, or kinds we leave to the ORB (value types ...)
        }
    }

    private static Object key(TypeCode tc, int kind) {
        if (kind != TCKind._tk_sequence && kind != TCKind._tk_array) {
            try {
                String id = tc.id();
                if (id != null && !id.isEmpty()) {
                    return id;
                }
            } catch (BadKind e) {
                // fall through to identity
            }
        }
        return new Identity(tc);
    }

    /** The encapsulation octets of a complex TypeCode, or null if the ORB wrote something else. */
    private byte[] encode(TypeCode tc, int kind) {
        OutputStream o = orb.create_output_stream();
        o.write_TypeCode(tc);
        InputStream in = o.create_input_stream();
        if (in.read_ulong() != kind) {
            return null; // e.g. an indirection: leave it to the ORB
        }
        int len = in.read_ulong();
        if (len < 0 || len > (1 << 20)) {
            return null;
        }
        byte[] b = new byte[len];
        in.read_octet_array(b, 0, len);
        return b;
    }

    /** An incoming TypeCode's kind and encapsulation octets. */
    private record Encoded(int kind, byte[] octets) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Encoded e && e.kind == kind && java.util.Arrays.equals(e.octets, octets);
        }

        @Override
        public int hashCode() {
            return 31 * kind + java.util.Arrays.hashCode(octets);
        }
    }

    /** Identity key for TypeCodes without a repository id. */
    private record Identity(TypeCode tc) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.tc == tc;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(tc);
        }
    }
}
