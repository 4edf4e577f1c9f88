package org.troupe.cdr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.omg.CORBA.TCKind;
import org.omg.CORBA.TypeCode;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.OutputStream;

/**
 * Reads and writes one IDL struct type with its generated helper, so that a {@link FastAny}
 * can hold the value as the Java object itself: no value tree, no copy. A codec registered for a
 * repository id makes {@link FastAny#read} decode that type straight into Java objects (Troupe's
 * group messages: Message, SequenceMessage, UpdateView). The struct holds no anys, TypeCodes or
 * valuetypes: its encoding depends only on where it starts (modulo 8) and on the stream's code
 * sets, so a FastAny written to several consumers encodes it once ({@link SharedEncoding}).
 */
public interface StructCodec {
    Object read(InputStream in);

    void write(OutputStream out, Object value);

    /**
     * About how many octets {@code value} takes on the wire, or 0 if that is not known cheaply: a
     * writer that knows it sizes its buffer once instead of growing (and copying) it as it goes.
     */
    default int sizeHint(Object value) {
        return 0;
    }

    /** A codec from a helper's read and write. */
    static <T> StructCodec of(java.util.function.Function<InputStream, T> reader,
            java.util.function.BiConsumer<OutputStream, T> writer, Class<T> type) {
        return of(reader, writer, type, v -> 0);
    }

    /** A codec from a helper's read and write, and an estimate of a value's size on the wire. */
    static <T> StructCodec of(java.util.function.Function<InputStream, T> reader,
            java.util.function.BiConsumer<OutputStream, T> writer, Class<T> type,
            java.util.function.ToIntFunction<T> sizer) {
        return new StructCodec() {
            @Override
            public int sizeHint(Object value) {
                return sizer.applyAsInt(type.cast(value));
            }

            @Override
            public Object read(InputStream in) {
                return reader.apply(in);
            }

            @Override
            public void write(OutputStream out, Object value) {
                writer.accept(out, type.cast(value));
            }
        };
    }

    /** Registers {@code codec} for the struct type (or typedef) with repository id {@code id}. */
    static void register(String id, StructCodec codec) {
        Registry.CODECS.put(id, codec);
    }

    /** The codec registered for {@code tc}, or null. */
    static StructCodec forType(TypeCode tc) {
        int kind = tc.kind().value();
        if (Registry.CODECS.isEmpty() || (kind != TCKind._tk_struct && kind != TCKind._tk_alias)) {
            return null;
        }
        try {
            return Registry.CODECS.get(tc.id());
        } catch (org.omg.CORBA.TypeCodePackage.BadKind e) {
            return null;
        }
    }

    /** The registered codecs. */
    final class Registry {
        static final Map<String, StructCodec> CODECS = new ConcurrentHashMap<>();

        private Registry() {
        }
    }
}
