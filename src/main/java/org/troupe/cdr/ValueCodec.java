package org.troupe.cdr;

import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_TYPECODE;
import org.omg.CORBA.TCKind;
import org.omg.CORBA.TypeCode;
import org.omg.CORBA.TypeCodePackage.BadKind;
import org.omg.CORBA.TypeCodePackage.Bounds;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.OutputStream;

/**
 * Reads a CDR value of a given TypeCode into a plain Java tree, and writes such a tree back,
 * moving sequences and arrays of primitives with one bulk call each.
 *
 * <p>Why: JacORB copies the value of an {@code any} between streams one element at a time
 * through its TypeCode interpreter (a 1 KB {@code sequence<octet>} is a thousand virtual calls,
 * on every hop). The tree is alignment-independent, so it can be written at any stream position.
 *
 * <p>Tree shapes: primitives boxed; strings as String; enums as Integer; sequences and arrays of
 * primitives as Java primitive arrays, of other types as Object[]; structs as Object[] of
 * members; exceptions as Object[] {repository id, members...}; unions as Object[]
 * {discriminator, member index or -1, member value}; nested anys as {@link FastAny}; object
 * references and TypeCodes as themselves. Kinds outside this list (value types, fixed, long
 * double, abstract interfaces ...) are not {@link #supports supported}: callers fall back to the
 * ORB's own Any.
 */
public final class ValueCodec {
    private static final int MAX_DEPTH = 64;

    private ValueCodec() {
    }

    /** True if every part of {@code tc} can be held as a tree (recursive types are not). */
    public static boolean supports(TypeCode tc) {
        return supports(tc, 0);
    }

    private static boolean supports(TypeCode tc, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        try {
            switch (tc.kind().value()) {
                case TCKind._tk_null, TCKind._tk_void, TCKind._tk_short, TCKind._tk_long, TCKind._tk_ushort,
                        TCKind._tk_ulong, TCKind._tk_float, TCKind._tk_double, TCKind._tk_boolean, TCKind._tk_char,
                        TCKind._tk_octet, TCKind._tk_any, TCKind._tk_TypeCode, TCKind._tk_objref, TCKind._tk_enum,
                        TCKind._tk_string, TCKind._tk_longlong, TCKind._tk_ulonglong, TCKind._tk_wchar,
                        TCKind._tk_wstring:
                    return true;
                case TCKind._tk_alias, TCKind._tk_sequence, TCKind._tk_array:
                    return supports(tc.content_type(), depth + 1);
                case TCKind._tk_struct, TCKind._tk_except:
                    for (int i = 0; i < tc.member_count(); i++) {
                        if (!supports(tc.member_type(i), depth + 1)) {
                            return false;
                        }
                    }
                    return true;
                case TCKind._tk_union:
                    if (!supports(tc.discriminator_type(), depth + 1)) {
                        return false;
                    }
                    for (int i = 0; i < tc.member_count(); i++) {
                        if (!supports(tc.member_type(i), depth + 1)) {
                            return false;
                        }
                    }
                    return true;
                default:
                    return false;
            }
        } catch (BadKind | Bounds | RuntimeException e) {
            return false;
        }
    }

    /** Reads one value of type {@code tc}. The type must be {@link #supports supported}. */
    public static Object read(org.omg.CORBA.ORB orb, TypeCode tc, InputStream in) {
        try {
            return readValue(orb, tc, in);
        } catch (BadKind | Bounds e) {
            throw new BAD_TYPECODE("Troupe: malformed TypeCode: " + e);
        }
    }

    /** Writes a value read by {@link #read} with the same TypeCode. */
    public static void write(TypeCode tc, Object v, OutputStream out) {
        try {
            writeValue(tc, v, out);
        } catch (BadKind | Bounds e) {
            throw new BAD_TYPECODE("Troupe: malformed TypeCode: " + e);
        }
    }

    private static Object readValue(org.omg.CORBA.ORB orb, TypeCode tc, InputStream in) throws BadKind, Bounds {
        switch (tc.kind().value()) {
            case TCKind._tk_null, TCKind._tk_void: return null;
            case TCKind._tk_short: return in.read_short();
            case TCKind._tk_ushort: return in.read_ushort();
            case TCKind._tk_long: return in.read_long();
            case TCKind._tk_ulong: return in.read_ulong();
            case TCKind._tk_longlong: return in.read_longlong();
            case TCKind._tk_ulonglong: return in.read_ulonglong();
            case TCKind._tk_float: return in.read_float();
            case TCKind._tk_double: return in.read_double();
            case TCKind._tk_boolean: return in.read_boolean();
            case TCKind._tk_char: return in.read_char();
            case TCKind._tk_wchar: return in.read_wchar();
            case TCKind._tk_octet: return in.read_octet();
            case TCKind._tk_enum: return in.read_ulong();
            case TCKind._tk_string: return in.read_string();
            case TCKind._tk_wstring: return in.read_wstring();
            case TCKind._tk_any: return in instanceof ValueInput ? in.read_any() : FastAny.read(orb, in);
            case TCKind._tk_TypeCode: return in.read_TypeCode();
            case TCKind._tk_objref: return in.read_Object();
            case TCKind._tk_alias: return readValue(orb, tc.content_type(), in);
            case TCKind._tk_sequence: return readElements(orb, tc.content_type(), in.read_ulong(), in);
            case TCKind._tk_array: return readElements(orb, tc.content_type(), tc.length(), in);
            case TCKind._tk_struct: {
                Object[] m = new Object[tc.member_count()];
                for (int i = 0; i < m.length; i++) {
                    m[i] = readValue(orb, tc.member_type(i), in);
                }
                return m;
            }
            case TCKind._tk_except: {
                Object[] m = new Object[tc.member_count() + 1];
                m[0] = in.read_string();
                for (int i = 1; i < m.length; i++) {
                    m[i] = readValue(orb, tc.member_type(i - 1), in);
                }
                return m;
            }
            case TCKind._tk_union: {
                TypeCode dt = tc.discriminator_type();
                Object disc = readValue(orb, dt, in);
                int index = unionMember(tc, disc);
                Object member = index < 0 ? null : readValue(orb, tc.member_type(index), in);
                return new Object[] {disc, index, member};
            }
            default:
                throw new BAD_TYPECODE("Troupe: TypeCode kind " + tc.kind().value() + " not supported here");
        }
    }

    private static Object readElements(org.omg.CORBA.ORB orb, TypeCode ct, int n, InputStream in)
            throws BadKind, Bounds {
        if (n < 0) {
            throw new org.omg.CORBA.MARSHAL("Troupe: sequence length " + Integer.toUnsignedString(n) + " too large");
        }
        TypeCode t = unalias(ct);
        switch (t.kind().value()) {
            case TCKind._tk_octet: { byte[] a = new byte[n]; in.read_octet_array(a, 0, n); return a; }
            case TCKind._tk_boolean: { boolean[] a = new boolean[n]; in.read_boolean_array(a, 0, n); return a; }
            case TCKind._tk_char: { char[] a = new char[n]; in.read_char_array(a, 0, n); return a; }
            case TCKind._tk_short: { short[] a = new short[n]; in.read_short_array(a, 0, n); return a; }
            case TCKind._tk_ushort: { short[] a = new short[n]; in.read_ushort_array(a, 0, n); return a; }
            case TCKind._tk_long: { int[] a = new int[n]; in.read_long_array(a, 0, n); return a; }
            case TCKind._tk_ulong: { int[] a = new int[n]; in.read_ulong_array(a, 0, n); return a; }
            case TCKind._tk_longlong: { long[] a = new long[n]; in.read_longlong_array(a, 0, n); return a; }
            case TCKind._tk_ulonglong: { long[] a = new long[n]; in.read_ulonglong_array(a, 0, n); return a; }
            case TCKind._tk_float: { float[] a = new float[n]; in.read_float_array(a, 0, n); return a; }
            case TCKind._tk_double: { double[] a = new double[n]; in.read_double_array(a, 0, n); return a; }
            default: {
                Object[] a = new Object[Math.min(n, 1 << 16)];
                java.util.List<Object> grow = n > a.length ? new java.util.ArrayList<>() : null;
                for (int i = 0; i < n; i++) {
                    Object v = readValue(orb, t, in);
                    if (grow != null) {
                        grow.add(v);
                    } else {
                        a[i] = v;
                    }
                }
                return grow != null ? grow.toArray() : a;
            }
        }
    }

    private static void writeValue(TypeCode tc, Object v, OutputStream out) throws BadKind, Bounds {
        switch (tc.kind().value()) {
            case TCKind._tk_null, TCKind._tk_void: return;
            case TCKind._tk_short: out.write_short((Short) v); return;
            case TCKind._tk_ushort: out.write_ushort((Short) v); return;
            case TCKind._tk_long: out.write_long((Integer) v); return;
            case TCKind._tk_ulong, TCKind._tk_enum: out.write_ulong((Integer) v); return;
            case TCKind._tk_longlong: out.write_longlong((Long) v); return;
            case TCKind._tk_ulonglong: out.write_ulonglong((Long) v); return;
            case TCKind._tk_float: out.write_float((Float) v); return;
            case TCKind._tk_double: out.write_double((Double) v); return;
            case TCKind._tk_boolean: out.write_boolean((Boolean) v); return;
            case TCKind._tk_char: out.write_char((Character) v); return;
            case TCKind._tk_wchar: out.write_wchar((Character) v); return;
            case TCKind._tk_octet: out.write_octet((Byte) v); return;
            case TCKind._tk_string: out.write_string((String) v); return;
            case TCKind._tk_wstring: out.write_wstring((String) v); return;
            case TCKind._tk_any: out.write_any((Any) v); return;
            case TCKind._tk_TypeCode: out.write_TypeCode((TypeCode) v); return;
            case TCKind._tk_objref: out.write_Object((org.omg.CORBA.Object) v); return;
            case TCKind._tk_alias: writeValue(tc.content_type(), v, out); return;
            case TCKind._tk_sequence: out.write_ulong(length(v)); writeElements(tc.content_type(), v, out); return;
            case TCKind._tk_array: writeElements(tc.content_type(), v, out); return;
            case TCKind._tk_struct: {
                Object[] m = (Object[]) v;
                for (int i = 0; i < m.length; i++) {
                    writeValue(tc.member_type(i), m[i], out);
                }
                return;
            }
            case TCKind._tk_except: {
                Object[] m = (Object[]) v;
                out.write_string((String) m[0]);
                for (int i = 1; i < m.length; i++) {
                    writeValue(tc.member_type(i - 1), m[i], out);
                }
                return;
            }
            case TCKind._tk_union: {
                Object[] u = (Object[]) v;
                writeValue(tc.discriminator_type(), u[0], out);
                int index = (Integer) u[1];
                if (index >= 0) {
                    writeValue(tc.member_type(index), u[2], out);
                }
                return;
            }
            default:
                throw new BAD_TYPECODE("Troupe: TypeCode kind " + tc.kind().value() + " not supported here");
        }
    }

    private static int length(Object v) {
        return java.lang.reflect.Array.getLength(v);
    }

    private static void writeElements(TypeCode ct, Object v, OutputStream out) throws BadKind, Bounds {
        if (v instanceof byte[] a) {
            out.write_octet_array(a, 0, a.length);
        } else if (v instanceof Object[] a) {
            TypeCode t = unalias(ct);
            for (Object e : a) {
                writeValue(t, e, out);
            }
        } else {
            TypeCode t = unalias(ct);
            switch (t.kind().value()) {
                case TCKind._tk_boolean: { boolean[] a = (boolean[]) v; out.write_boolean_array(a, 0, a.length); return; }
                case TCKind._tk_char: { char[] a = (char[]) v; out.write_char_array(a, 0, a.length); return; }
                case TCKind._tk_short: { short[] a = (short[]) v; out.write_short_array(a, 0, a.length); return; }
                case TCKind._tk_ushort: { short[] a = (short[]) v; out.write_ushort_array(a, 0, a.length); return; }
                case TCKind._tk_long: { int[] a = (int[]) v; out.write_long_array(a, 0, a.length); return; }
                case TCKind._tk_ulong: { int[] a = (int[]) v; out.write_ulong_array(a, 0, a.length); return; }
                case TCKind._tk_longlong: { long[] a = (long[]) v; out.write_longlong_array(a, 0, a.length); return; }
                case TCKind._tk_ulonglong: { long[] a = (long[]) v; out.write_ulonglong_array(a, 0, a.length); return; }
                case TCKind._tk_float: { float[] a = (float[]) v; out.write_float_array(a, 0, a.length); return; }
                case TCKind._tk_double: { double[] a = (double[]) v; out.write_double_array(a, 0, a.length); return; }
                default: throw new BAD_TYPECODE("Troupe: array value does not match its TypeCode");
            }
        }
    }

    private static TypeCode unalias(TypeCode tc) throws BadKind {
        TypeCode t = tc;
        while (t.kind().value() == TCKind._tk_alias) {
            t = t.content_type();
        }
        return t;
    }

    /** The index of the union member selected by {@code disc}, the default's, or -1. */
    private static int unionMember(TypeCode tc, Object disc) throws BadKind, Bounds {
        int def = tc.default_index();
        for (int i = 0; i < tc.member_count(); i++) {
            if (i == def) {
                continue;
            }
            Any label = tc.member_label(i);
            if (labelEquals(label, disc)) {
                return i;
            }
        }
        return def;
    }

    private static boolean labelEquals(Any label, Object disc) throws BadKind {
        TypeCode lt = unalias(label.type());
        switch (lt.kind().value()) {
            case TCKind._tk_short: return disc.equals(label.extract_short());
            case TCKind._tk_ushort: return disc.equals(label.extract_ushort());
            case TCKind._tk_long: return disc.equals(label.extract_long());
            case TCKind._tk_ulong: return disc.equals(label.extract_ulong());
            case TCKind._tk_longlong: return disc.equals(label.extract_longlong());
            case TCKind._tk_ulonglong: return disc.equals(label.extract_ulonglong());
            case TCKind._tk_boolean: return disc.equals(label.extract_boolean());
            case TCKind._tk_char: return disc.equals(label.extract_char());
            case TCKind._tk_wchar: return disc.equals(label.extract_wchar());
            case TCKind._tk_enum: return disc.equals(label.create_input_stream().read_ulong());
            default: return false;
        }
    }
}
