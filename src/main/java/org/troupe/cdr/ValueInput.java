package org.troupe.cdr;

import org.omg.CORBA.Any;
import org.omg.CORBA.MARSHAL;
import org.omg.CORBA.ORB;
import org.omg.CORBA.TypeCode;
import org.omg.CORBA.portable.InputStream;

/** Reads back what a {@link ValueOutput} wrote (see there). */
public final class ValueInput extends InputStream {
    private final ORB orb;
    private final byte[] buf;
    private final int limit;
    private final Object[] refs;
    private final int nrefs;
    private int pos;
    private int ref;

    ValueInput(ORB orb, byte[] buf, int limit, Object[] refs, int nrefs) {
        this.orb = orb;
        this.buf = buf;
        this.limit = limit;
        this.refs = refs;
        this.nrefs = nrefs;
    }

    @Override
    public ORB orb() {
        return orb;
    }

    private void need(int n) {
        if (pos + n > limit) {
            throw new MARSHAL("Troupe: value ends early (" + (limit - pos) + " bytes left, " + n + " needed)");
        }
    }

    private <T> T nextRef(Class<T> type) {
        if (ref >= nrefs) {
            throw new MARSHAL("Troupe: value ends early (no " + type.getSimpleName() + " left)");
        }
        Object o = refs[ref++];
        if (o != null && !type.isInstance(o)) {
            throw new MARSHAL("Troupe: value mismatch: expected " + type.getSimpleName() + ", found "
                    + o.getClass().getSimpleName());
        }
        return type.cast(o);
    }

    @Override
    public int read() {
        return pos < limit ? buf[pos++] & 0xFF : -1;
    }

    @Override
    public boolean read_boolean() {
        return read_octet() != 0;
    }

    @Override
    public char read_char() {
        return (char) read_ushort();
    }

    @Override
    public char read_wchar() {
        return (char) read_ushort();
    }

    @Override
    public byte read_octet() {
        need(1);
        return buf[pos++];
    }

    @Override
    public short read_short() {
        need(2);
        short v = (short) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
        pos += 2;
        return v;
    }

    @Override
    public short read_ushort() {
        return read_short();
    }

    @Override
    public int read_long() {
        need(4);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    @Override
    public int read_ulong() {
        return read_long();
    }

    @Override
    public long read_longlong() {
        long hi = read_long();
        long lo = read_long() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    @Override
    public long read_ulonglong() {
        return read_longlong();
    }

    @Override
    public float read_float() {
        return Float.intBitsToFloat(read_long());
    }

    @Override
    public double read_double() {
        return Double.longBitsToDouble(read_longlong());
    }

    @Override
    public String read_string() {
        return nextRef(String.class);
    }

    @Override
    public String read_wstring() {
        return nextRef(String.class);
    }

    @Override
    public void read_boolean_array(boolean[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = read_boolean();
        }
    }

    @Override
    public void read_char_array(char[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = read_char();
        }
    }

    @Override
    public void read_wchar_array(char[] v, int off, int len) {
        read_char_array(v, off, len);
    }

    @Override
    public void read_octet_array(byte[] v, int off, int len) {
        need(len);
        System.arraycopy(buf, pos, v, off, len);
        pos += len;
    }

    @Override
    public void read_short_array(short[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = read_short();
        }
    }

    @Override
    public void read_ushort_array(short[] v, int off, int len) {
        read_short_array(v, off, len);
    }

    @Override
    public void read_long_array(int[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = read_long();
        }
    }

    @Override
    public void read_ulong_array(int[] v, int off, int len) {
        read_long_array(v, off, len);
    }

    @Override
    public void read_longlong_array(long[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = read_longlong();
        }
    }

    @Override
    public void read_ulonglong_array(long[] v, int off, int len) {
        read_longlong_array(v, off, len);
    }

    @Override
    public void read_float_array(float[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = read_float();
        }
    }

    @Override
    public void read_double_array(double[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = read_double();
        }
    }

    @Override
    public org.omg.CORBA.Object read_Object() {
        return nextRef(org.omg.CORBA.Object.class);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public org.omg.CORBA.Object read_Object(Class clz) {
        return read_Object();
    }

    @Override
    public TypeCode read_TypeCode() {
        return nextRef(TypeCode.class);
    }

    @Override
    public Any read_any() {
        return nextRef(Any.class);
    }

    @Override
    public java.math.BigDecimal read_fixed() {
        return nextRef(java.math.BigDecimal.class);
    }

    @Override
    public java.math.BigDecimal read_fixed(short digits, short scale) {
        return read_fixed();
    }
}
