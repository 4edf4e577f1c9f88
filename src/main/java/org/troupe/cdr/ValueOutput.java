package org.troupe.cdr;

import java.util.Arrays;
import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_PARAM;
import org.omg.CORBA.NO_IMPLEMENT;
import org.omg.CORBA.ORB;
import org.omg.CORBA.TypeCode;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.OutputStream;

/**
 * A CORBA output stream into memory, for values that never leave the process: what an IDL
 * helper writes into a {@link FastAny}, or what a FastAny hands to a helper that extracts from it.
 * Primitives are packed big-endian into a byte array (no alignment, no code sets); strings, type
 * codes, object references, anys and fixed values are kept as Java references. Creating one
 * costs two small arrays, where an ORB stream takes a pooled buffer and configuration look-ups.
 */
public final class ValueOutput extends OutputStream {
    private final ORB orb;
    private byte[] buf;
    private int pos;
    private Object[] refs = new Object[4];
    private int nrefs;

    public ValueOutput(ORB orb) {
        this(orb, 64);
    }

    public ValueOutput(ORB orb, int capacity) {
        this.orb = orb;
        this.buf = new byte[Math.max(16, capacity)];
    }

    @Override
    public ORB orb() {
        return orb;
    }

    @Override
    public InputStream create_input_stream() {
        return new ValueInput(orb, buf, pos, refs, nrefs);
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void ref(Object o) {
        if (nrefs == refs.length) {
            refs = Arrays.copyOf(refs, refs.length * 2);
        }
        refs[nrefs++] = o;
    }

    private static <T> T notNull(T v, String what) {
        if (v == null) {
            throw new BAD_PARAM("Troupe: cannot marshal a null " + what + " (IDL has no null " + what + ")");
        }
        return v;
    }

    @Override
    public void write(int b) {
        write_octet((byte) b);
    }

    @Override
    public void write_boolean(boolean v) {
        write_octet(v ? (byte) 1 : (byte) 0);
    }

    @Override
    public void write_char(char v) {
        write_ushort((short) v);
    }

    @Override
    public void write_wchar(char v) {
        write_ushort((short) v);
    }

    @Override
    public void write_octet(byte v) {
        ensure(1);
        buf[pos++] = v;
    }

    @Override
    public void write_short(short v) {
        ensure(2);
        buf[pos++] = (byte) (v >> 8);
        buf[pos++] = (byte) v;
    }

    @Override
    public void write_ushort(short v) {
        write_short(v);
    }

    @Override
    public void write_long(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >> 24);
        buf[pos++] = (byte) (v >> 16);
        buf[pos++] = (byte) (v >> 8);
        buf[pos++] = (byte) v;
    }

    @Override
    public void write_ulong(int v) {
        write_long(v);
    }

    @Override
    public void write_longlong(long v) {
        write_long((int) (v >> 32));
        write_long((int) v);
    }

    @Override
    public void write_ulonglong(long v) {
        write_longlong(v);
    }

    @Override
    public void write_float(float v) {
        write_long(Float.floatToRawIntBits(v));
    }

    @Override
    public void write_double(double v) {
        write_longlong(Double.doubleToRawLongBits(v));
    }

    @Override
    public void write_string(String v) {
        ref(notNull(v, "string"));
    }

    @Override
    public void write_wstring(String v) {
        ref(notNull(v, "wstring"));
    }

    @Override
    public void write_boolean_array(boolean[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write_boolean(v[i]);
        }
    }

    @Override
    public void write_char_array(char[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write_char(v[i]);
        }
    }

    @Override
    public void write_wchar_array(char[] v, int off, int len) {
        write_char_array(v, off, len);
    }

    @Override
    public void write_octet_array(byte[] v, int off, int len) {
        ensure(len);
        System.arraycopy(notNull(v, "octet sequence"), off, buf, pos, len);
        pos += len;
    }

    @Override
    public void write_short_array(short[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write_short(v[i]);
        }
    }

    @Override
    public void write_ushort_array(short[] v, int off, int len) {
        write_short_array(v, off, len);
    }

    @Override
    public void write_long_array(int[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write_long(v[i]);
        }
    }

    @Override
    public void write_ulong_array(int[] v, int off, int len) {
        write_long_array(v, off, len);
    }

    @Override
    public void write_longlong_array(long[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write_longlong(v[i]);
        }
    }

    @Override
    public void write_ulonglong_array(long[] v, int off, int len) {
        write_longlong_array(v, off, len);
    }

    @Override
    public void write_float_array(float[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write_float(v[i]);
        }
    }

    @Override
    public void write_double_array(double[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write_double(v[i]);
        }
    }

    @Override
    public void write_Object(org.omg.CORBA.Object v) {
        ref(v); // nil references are legal
    }

    @Override
    public void write_TypeCode(TypeCode v) {
        ref(notNull(v, "TypeCode"));
    }

    @Override
    public void write_any(Any v) {
        ref(notNull(v, "any"));
    }

    @Override
    public void write_fixed(java.math.BigDecimal v) {
        ref(notNull(v, "fixed"));
    }

    @Override
    public void write_fixed(java.math.BigDecimal v, short digits, short scale) {
        ref(notNull(v, "fixed"));
    }

    @Override
    public void write_Principal(org.omg.CORBA.Principal v) {
        throw new NO_IMPLEMENT("Troupe: Principal is deprecated and not supported");
    }
}
