package org.troupe.cdr;

import org.omg.CORBA.ORB;
import org.omg.CORBA.TypeCode;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.OutputStream;

/**
 * An {@code any} whose value is held as a {@link ValueCodec} tree, so that it is read and
 * written with bulk array copies instead of JacORB's element-by-element TypeCode interpreter.
 * Troupe's channel and client library read events into FastAnys on their batch paths; a FastAny
 * is an ordinary {@code org.omg.CORBA.Any} to everyone else.
 *
 * <p>Reading it through a stream ({@code create_input_stream}, which IDL helpers' {@code extract}
 * use) stays fast. The first {@code extract_*} or {@code insert_*} call turns it into a plain ORB
 * Any, to which every later call is delegated.
 */
public final class FastAny extends org.omg.CORBA.Any {
    private static final long serialVersionUID = 1L;

    private final transient ORB orb;
    private TypeCode type;
    private Object tree;
    private ValueOutput pending; // what a helper is writing in; decoded into the tree on first need
    private org.omg.CORBA.Any plain;
    private Object struct;        // the value as a Java object, marshalled by its codec
    private StructCodec codec;
    private int structSize = -1;  // sizeHint() of struct, once known
    private transient volatile SharedEncoding shared; // struct's octets, once written: for the next consumer

    private FastAny(ORB orb, TypeCode type, Object tree) {
        this.orb = orb;
        this.type = type;
        this.tree = tree;
    }

    /**
     * A new, empty FastAny: use it instead of {@code orb.create_any()} for events you publish, and
     * insert into it with IDL helpers as usual; it then never touches the ORB's stream machinery.
     */
    public static FastAny create(ORB orb) {
        return new FastAny(orb, orb.get_primitive_tc(org.omg.CORBA.TCKind.tk_null), null);
    }

    /**
     * An any holding {@code value}, an instance of an IDL struct of type {@code tc}, as the Java
     * object itself: it is marshalled by {@code codec} (the generated helper's write), with no
     * copy in between. The value must not change once the any is handed on. Written to several
     * streams, it is encoded once per start alignment and code set and then copied, so the struct
     * must hold no anys, TypeCodes or valuetypes (see {@link StructCodec}).
     */
    public static FastAny ofStruct(ORB orb, TypeCode tc, StructCodec codec, Object value) {
        FastAny a = new FastAny(orb, tc, null);
        a.struct = value;
        a.codec = codec;
        return a;
    }

    /**
     * An any of this one's type holding {@code value} as a Java object, marshalled by this one's
     * codec: e.g. a shorter list of the same sequence type. Only for an any whose
     * {@link #struct()} is not null.
     */
    public FastAny withStruct(Object value) {
        if (struct() == null) {
            throw new IllegalStateException("not an any holding a Java struct");
        }
        return ofStruct(orb, type, codec, value);
    }

    /**
     * About how many octets {@link #write_value} writes, or 0 if that is not known cheaply (see
     * {@link StructCodec#sizeHint}).
     */
    public int sizeHint() {
        if (plain != null) {
            return 0;
        }
        if (struct != null) {
            int h = structSize; // the struct does not change once handed on: computed once, for every consumer
            if (h < 0) {
                h = codec.sizeHint(struct);
                structSize = h;
            }
            return h;
        }
        return tree instanceof byte[] b ? b.length + 8 : 0;
    }

    /** The value as a Java object if this any holds it as one ({@link #ofStruct}, or read with a registered codec), else null. */
    public Object struct() {
        return plain == null ? struct : null;
    }

    /**
     * Reads an {@code any} (TypeCode, then value) from {@code in}: as a FastAny when its type is
     * {@link ValueCodec#supports supported}, else as the ORB's own Any.
     */
    public static org.omg.CORBA.Any read(ORB orb, InputStream in) {
        return read(orb, TypeCodeCache.of(orb), in);
    }

    /** As {@link #read(ORB, InputStream)}, with the ORB's TypeCode cache at hand. */
    public static org.omg.CORBA.Any read(ORB orb, TypeCodeCache types, InputStream in) {
        TypeCode tc = types.read(in);
        return readValue(orb, tc, in);
    }

    /** Reads a value of type {@code tc} from {@code in} into an any. */
    public static org.omg.CORBA.Any readValue(ORB orb, TypeCode tc, InputStream in) {
        StructCodec known = StructCodec.forType(tc);
        if (known != null) {
            return ofStruct(orb, tc, known, known.read(in));
        }
        if (ValueCodec.supports(tc)) {
            return new FastAny(orb, tc, ValueCodec.read(orb, tc, in));
        }
        org.omg.CORBA.Any a = orb.create_any();
        a.read_value(in, tc);
        return a;
    }

    /** A FastAny with the same type and value as {@code any} (itself if it is one already). */
    public static org.omg.CORBA.Any of(ORB orb, org.omg.CORBA.Any any) {
        if (any instanceof FastAny) {
            return any;
        }
        TypeCode tc = any.type();
        if (!ValueCodec.supports(tc)) {
            return any;
        }
        return new FastAny(orb, tc, ValueCodec.read(orb, tc, any.create_input_stream()));
    }

    /**
     * Decodes what an IDL helper wrote into the value tree now, so that several threads may then
     * marshal this any at once (the tree is read-only; decoding lazily would race). A publisher
     * calls this before it hands the any to other threads; returns this any.
     */
    public FastAny seal() {
        decoded();
        return this;
    }

    /** The decoded value (see {@link ValueCodec} for its shape), or null once delegated. */
    public Object tree() {
        return plain == null ? decoded() : null;
    }

    private Object decoded() {
        if (tree == null && struct != null) {
            ValueOutput out = new ValueOutput(orb);
            codec.write(out, struct);
            tree = ValueCodec.read(orb, type, out.create_input_stream());
        }
        if (pending != null) {
            tree = ValueCodec.read(orb, type, pending.create_input_stream());
            pending = null;
            struct = null;
        }
        return tree;
    }

    private org.omg.CORBA.Any materialized() {
        if (plain == null) {
            org.omg.CORBA.Any a = orb.create_any();
            a.read_value(create_input_stream(), type);
            plain = a;
            tree = null;
            pending = null;
            struct = null;
        }
        return plain;
    }

    private org.omg.CORBA.Any mutable() {
        if (plain == null) {
            plain = orb.create_any();
            tree = null;
            pending = null;
            struct = null;
        }
        return plain;
    }

    @Override
    public boolean equal(org.omg.CORBA.Any other) {
        return materialized().equal(other instanceof FastAny f ? f.materialized() : other);
    }

    @Override
    public TypeCode type() {
        return plain != null ? plain.type() : type;
    }

    @Override
    public void type(TypeCode t) {
        if (ValueCodec.supports(t)) {
            plain = null;
            type = t;
            tree = null;
            pending = null;
            struct = null;
        } else {
            mutable().type(t);
        }
    }

    @Override
    public void read_value(InputStream in, TypeCode t) {
        if (ValueCodec.supports(t)) {
            plain = null;
            pending = null;
            struct = null;
            type = t;
            tree = ValueCodec.read(orb, t, in);
        } else {
            mutable().read_value(in, t);
        }
    }

    @Override
    public void write_value(OutputStream out) {
        if (plain != null) {
            plain.write_value(out);
        } else if (struct != null) {
            SharedEncoding e = shared;
            if (e == null) {
                e = SharedEncoding.create();
                shared = e;
            }
            if (e != null) {
                e.write(out, codec, struct); // the struct does not change once handed on
            } else {
                codec.write(out, struct);
            }
        } else {
            ValueCodec.write(type, decoded(), out);
        }
    }

    /** After {@link #type(TypeCode)}: where an IDL helper's {@code insert} writes the value. */
    @Override
    public OutputStream create_output_stream() {
        if (plain == null && ValueCodec.supports(type)) {
            tree = null;
            pending = new ValueOutput(orb);
            return pending;
        }
        return mutable().create_output_stream();
    }

    /** Where an IDL helper's {@code extract} reads the value: an in-memory stream, no ORB buffers. */
    @Override
    public InputStream create_input_stream() {
        if (plain != null) {
            return plain.create_input_stream();
        }
        if (pending != null) {
            return pending.create_input_stream();
        }
        if (struct != null) {
            ValueOutput o = new ValueOutput(orb);
            codec.write(o, struct);
            return o.create_input_stream();
        }
        ValueOutput out = new ValueOutput(orb, tree instanceof byte[] b ? b.length + 8 : 64);
        ValueCodec.write(type, tree, out);
        return out.create_input_stream();
    }

    @Override
    public short extract_short() {
        return materialized().extract_short();
    }

    @Override
    public void insert_short(short v) {
        mutable().insert_short(v);
    }

    @Override
    public int extract_long() {
        return materialized().extract_long();
    }

    @Override
    public void insert_long(int v) {
        mutable().insert_long(v);
    }

    @Override
    public long extract_longlong() {
        return materialized().extract_longlong();
    }

    @Override
    public void insert_longlong(long v) {
        mutable().insert_longlong(v);
    }

    @Override
    public short extract_ushort() {
        return materialized().extract_ushort();
    }

    @Override
    public void insert_ushort(short v) {
        mutable().insert_ushort(v);
    }

    @Override
    public int extract_ulong() {
        return materialized().extract_ulong();
    }

    @Override
    public void insert_ulong(int v) {
        mutable().insert_ulong(v);
    }

    @Override
    public long extract_ulonglong() {
        return materialized().extract_ulonglong();
    }

    @Override
    public void insert_ulonglong(long v) {
        mutable().insert_ulonglong(v);
    }

    @Override
    public float extract_float() {
        return materialized().extract_float();
    }

    @Override
    public void insert_float(float v) {
        mutable().insert_float(v);
    }

    @Override
    public double extract_double() {
        return materialized().extract_double();
    }

    @Override
    public void insert_double(double v) {
        mutable().insert_double(v);
    }

    @Override
    public boolean extract_boolean() {
        return materialized().extract_boolean();
    }

    @Override
    public void insert_boolean(boolean v) {
        mutable().insert_boolean(v);
    }

    @Override
    public char extract_char() {
        return materialized().extract_char();
    }

    @Override
    public void insert_char(char v) {
        mutable().insert_char(v);
    }

    @Override
    public char extract_wchar() {
        return materialized().extract_wchar();
    }

    @Override
    public void insert_wchar(char v) {
        mutable().insert_wchar(v);
    }

    @Override
    public byte extract_octet() {
        return materialized().extract_octet();
    }

    @Override
    public void insert_octet(byte v) {
        mutable().insert_octet(v);
    }

    @Override
    public org.omg.CORBA.Any extract_any() {
        return materialized().extract_any();
    }

    @Override
    public void insert_any(org.omg.CORBA.Any v) {
        mutable().insert_any(v);
    }

    @Override
    public org.omg.CORBA.Object extract_Object() {
        return materialized().extract_Object();
    }

    @Override
    public void insert_Object(org.omg.CORBA.Object v) {
        mutable().insert_Object(v);
    }

    @Override
    public String extract_string() {
        return materialized().extract_string();
    }

    @Override
    public void insert_string(String v) {
        mutable().insert_string(v);
    }

    @Override
    public String extract_wstring() {
        return materialized().extract_wstring();
    }

    @Override
    public void insert_wstring(String v) {
        mutable().insert_wstring(v);
    }

    @Override
    public TypeCode extract_TypeCode() {
        return materialized().extract_TypeCode();
    }

    @Override
    public void insert_TypeCode(TypeCode v) {
        mutable().insert_TypeCode(v);
    }

    @Override
    public java.io.Serializable extract_Value() {
        return materialized().extract_Value();
    }

    @Override
    public void insert_Value(java.io.Serializable v) {
        mutable().insert_Value(v);
    }

    @Override
    public void insert_Value(java.io.Serializable v, TypeCode t) {
        mutable().insert_Value(v, t);
    }

    @Override
    public void insert_Object(org.omg.CORBA.Object v, TypeCode t) {
        mutable().insert_Object(v, t);
    }

    @Override
    public org.omg.CORBA.portable.Streamable extract_Streamable() {
        return materialized().extract_Streamable();
    }

    @Override
    public void insert_Streamable(org.omg.CORBA.portable.Streamable s) {
        mutable().insert_Streamable(s);
    }

    @Override
    public java.math.BigDecimal extract_fixed() {
        return materialized().extract_fixed();
    }

    @Override
    public void insert_fixed(java.math.BigDecimal v, TypeCode t) {
        mutable().insert_fixed(v, t);
    }
}
