package org.troupe.cdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.OctetSeqHelper;
import org.omg.CORBA.StringSeqHelper;
import org.omg.CORBA.StructMember;
import org.omg.CORBA.TCKind;
import org.omg.CORBA.TypeCode;
import org.omg.CORBA.UnionMember;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.OutputStream;

/**
 * FastAny must be indistinguishable from the ORB's own Any on the wire: every value written by
 * JacORB, read as a FastAny and written again must read back equal (JacORB's Any.equal is the
 * oracle), at any stream alignment.
 */
@Tag("unit")
class FastAnyTest extends org.troupe.LocalOrbTest {
    /** JacORB any -> wire -> FastAny -> wire (after {@code pad} octets) -> JacORB any. */
    private static Any roundTrip(Any original, int pad) {
        OutputStream o1 = orb.create_output_stream();
        o1.write_any(original);
        Any fast = FastAny.read(orb, o1.create_input_stream());
        OutputStream o2 = orb.create_output_stream();
        for (int i = 0; i < pad; i++) {
            o2.write_octet((byte) 0);
        }
        o2.write_any(fast);
        InputStream in = o2.create_input_stream();
        for (int i = 0; i < pad; i++) {
            in.read_octet();
        }
        return in.read_any();
    }

    private static void assertRoundTrips(Any original) {
        for (int pad = 0; pad < 8; pad++) {
            Any back = roundTrip(original, pad);
            assertTrue(back.type().equal(original.type()), "type after pad " + pad);
            assertTrue(back.equal(original), "value after pad " + pad + " of " + original.type());
        }
    }

    @Test
    void primitivesAndStrings() {
        List<Any> all = new ArrayList<>();
        Any a;
        a = orb.create_any(); a.insert_short((short) -3); all.add(a);
        a = orb.create_any(); a.insert_ushort((short) 65000); all.add(a);
        a = orb.create_any(); a.insert_long(-7); all.add(a);
        a = orb.create_any(); a.insert_ulong(0xFFFFFFF0); all.add(a);
        a = orb.create_any(); a.insert_longlong(Long.MIN_VALUE); all.add(a);
        a = orb.create_any(); a.insert_ulonglong(-1L); all.add(a);
        a = orb.create_any(); a.insert_float(1.5f); all.add(a);
        a = orb.create_any(); a.insert_double(Math.PI); all.add(a);
        a = orb.create_any(); a.insert_boolean(true); all.add(a);
        a = orb.create_any(); a.insert_char('x'); all.add(a);
        a = orb.create_any(); a.insert_wchar('\u00e9'); all.add(a);
        a = orb.create_any(); a.insert_octet((byte) 0xAB); all.add(a);
        a = orb.create_any(); a.insert_string("hello"); all.add(a);
        a = orb.create_any(); a.insert_wstring("Gr\u00fc\u00dfe \u4e16\u754c"); all.add(a);
        a = orb.create_any(); a.insert_TypeCode(orb.get_primitive_tc(TCKind.tk_double)); all.add(a);
        for (Any x : all) {
            assertRoundTrips(x);
        }
    }

    @Test
    void sequencesAndArraysOfPrimitivesAndStrings() {
        Any octets = orb.create_any();
        byte[] payload = new byte[1000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        OctetSeqHelper.insert(octets, payload);
        assertRoundTrips(octets);

        Any strings = orb.create_any();
        StringSeqHelper.insert(strings, new String[] {"a", "", "\u00e9t\u00e9"});
        assertRoundTrips(strings);

        TypeCode doubles = orb.create_sequence_tc(0, orb.get_primitive_tc(TCKind.tk_double));
        Any ds = orb.create_any();
        ds.type(doubles);
        OutputStream o = ds.create_output_stream();
        o.write_ulong(3);
        o.write_double_array(new double[] {1, 2.5, -3}, 0, 3);
        ds.read_value(o.create_input_stream(), doubles);
        assertRoundTrips(ds);

        TypeCode longs4 = orb.create_array_tc(4, orb.get_primitive_tc(TCKind.tk_longlong));
        Any arr = orb.create_any();
        OutputStream o2 = orb.create_output_stream();
        o2.write_longlong_array(new long[] {1, 2, 3, Long.MAX_VALUE}, 0, 4);
        arr.read_value(o2.create_input_stream(), longs4);
        assertRoundTrips(arr);
    }

    @Test
    void structsEnumsUnionsAndNestedAnys() {
        TypeCode color = orb.create_enum_tc("IDL:t/Color:1.0", "Color", new String[] {"RED", "GREEN"});
        TypeCode inner = orb.create_struct_tc("IDL:t/Inner:1.0", "Inner", new StructMember[] {
            new StructMember("id", orb.get_primitive_tc(TCKind.tk_longlong), null),
            new StructMember("name", orb.get_primitive_tc(TCKind.tk_string), null),
            new StructMember("color", color, null),
            new StructMember("data", OctetSeqHelper.type(), null),
            new StructMember("extra", orb.get_primitive_tc(TCKind.tk_any), null),
        });
        // union U switch (long) { case 1: double n; case 2: string s; }
        Any lab1 = orb.create_any();
        lab1.insert_long(1);
        Any lab2 = orb.create_any();
        lab2.insert_long(2);
        UnionMember[] members = {
            new UnionMember("n", lab1, orb.get_primitive_tc(TCKind.tk_double), null),
            new UnionMember("s", lab2, orb.get_primitive_tc(TCKind.tk_string), null),
        };
        TypeCode union = orb.create_union_tc("IDL:t/U:1.0", "U", orb.get_primitive_tc(TCKind.tk_long), members);
        TypeCode outer = orb.create_struct_tc("IDL:t/Outer:1.0", "Outer", new StructMember[] {
            new StructMember("inners", orb.create_sequence_tc(0, inner), null),
            new StructMember("u", union, null),
        });

        OutputStream o = orb.create_output_stream();
        o.write_ulong(2); // two Inners
        for (int i = 0; i < 2; i++) {
            o.write_longlong(100 + i);
            o.write_string("inner-" + i);
            o.write_ulong(i); // enum
            o.write_ulong(3);
            o.write_octet_array(new byte[] {1, 2, 3}, 0, 3);
            Any extra = orb.create_any();
            extra.insert_double(i + 0.5);
            o.write_any(extra);
        }
        o.write_long(2); // union discriminator: "s"
        o.write_string("union text");
        Any value = orb.create_any();
        value.read_value(o.create_input_stream(), outer);
        assertRoundTrips(value);
    }

    @Test
    void helpersExtractFromAFastAnyWithoutMaterialisingIt() {
        Any a = orb.create_any();
        OctetSeqHelper.insert(a, new byte[] {9, 8, 7});
        Any fast = FastAny.of(orb, a);
        assertInstanceOf(FastAny.class, fast);
        assertArrayEquals(new byte[] {9, 8, 7}, OctetSeqHelper.extract(fast));
        assertInstanceOf(byte[].class, ((FastAny) fast).tree(), "still a tree");
        assertEquals(3, ((byte[]) ((FastAny) fast).tree()).length);
    }

    @Test
    void helpersInsertIntoACreatedFastAnyAndItMarshalsLikeTheOrbsAny() {
        byte[] payload = {1, 2, 3, 4, 5};
        Any fast = FastAny.create(orb);
        OctetSeqHelper.insert(fast, payload);
        assertArrayEquals(payload, OctetSeqHelper.extract(fast));
        Any plain = orb.create_any();
        OctetSeqHelper.insert(plain, payload);
        OutputStream o = orb.create_output_stream();
        o.write_any(fast);
        Any back = o.create_input_stream().read_any();
        assertTrue(back.equal(plain));
        assertInstanceOf(byte[].class, ((FastAny) fast).tree());
    }

    @Test
    void generatedStructHelpersRoundTripThroughAFastAny() {
        org.troupe.idl.Events.ChannelInfo info = new org.troupe.idl.Events.ChannelInfo("n\u00e9", null, 1, 2, 3, 4,
                Long.MAX_VALUE, -1L, 7L, 8L);
        Any fast = FastAny.create(orb);
        org.troupe.idl.Events.ChannelInfoHelper.insert(fast, info);
        org.troupe.idl.Events.ChannelInfo direct = org.troupe.idl.Events.ChannelInfoHelper.extract(fast);
        assertEquals(info.name, direct.name);
        assertEquals(Long.MAX_VALUE, direct.events_in);
        OutputStream o = orb.create_output_stream();
        o.write_any(fast);
        org.troupe.idl.Events.ChannelInfo wire = org.troupe.idl.Events.ChannelInfoHelper.extract(
                o.create_input_stream().read_any());
        assertEquals("n\u00e9", wire.name);
        assertEquals(-1L, wire.events_delivered);
        assertEquals(4, wire.pull_consumers);
        assertTrue(wire.channel == null || wire.channel._non_existent());
    }

    @Test
    void aNullStringIsRefusedWhenInsertedNotLaterOnTheWire() {
        Any fast = FastAny.create(orb);
        assertThrows(org.omg.CORBA.BAD_PARAM.class, () -> org.omg.CORBA.StringSeqHelper.insert(fast,
                new String[] {"a", null}));
    }

    @Test
    void extractingAPrimitiveFromAHelperWrittenValueMaterialisesCorrectly() {
        Any fast = FastAny.create(orb);
        fast.type(orb.get_primitive_tc(TCKind.tk_longlong));
        fast.create_output_stream().write_longlong(-42L);
        assertEquals(-42L, fast.extract_longlong());
    }

    @Test
    void repeatedTypeCodesAreDecodedOnceAndDistinctOnesStayDistinct() {
        TypeCode a = orb.create_struct_tc("IDL:t/A:1.0", "A", new StructMember[] {
            new StructMember("x", orb.get_primitive_tc(TCKind.tk_long), null)});
        TypeCode b = orb.create_struct_tc("IDL:t/B:1.0", "B", new StructMember[] {
            new StructMember("x", orb.get_primitive_tc(TCKind.tk_long), null)});
        OutputStream o = orb.create_output_stream();
        TypeCode[] types = {a, b, a, orb.get_primitive_tc(TCKind.tk_long), a};
        for (int i = 0; i < types.length; i++) {
            Any v = orb.create_any();
            OutputStream vo = orb.create_output_stream();
            vo.write_long(100 + i);
            v.read_value(vo.create_input_stream(), types[i]);
            o.write_any(v);
        }
        InputStream in = o.create_input_stream();
        TypeCodeCache cache = TypeCodeCache.of(orb);
        Any[] back = new Any[types.length];
        for (int i = 0; i < types.length; i++) {
            back[i] = FastAny.read(orb, cache, in);
            assertTrue(back[i].type().equal(types[i]), "type " + i);
            assertEquals(100 + i, back[i].create_input_stream().read_long(), "value " + i);
        }
        assertTrue(back[0].type() == back[2].type() && back[2].type() == back[4].type(), "decoded once");
        assertFalse(back[0].type() == back[1].type());
    }

    @Test
    void insertTurnsItIntoAPlainAny() {
        Any a = orb.create_any();
        a.insert_long(5);
        Any fast = FastAny.of(orb, a);
        assertEquals(5, fast.extract_long());
        fast.insert_string("now a string");
        assertEquals("now a string", fast.extract_string());
        assertEquals(TCKind.tk_string, fast.type().kind());
    }

    @Test
    void unsupportedKindsFallBackToTheOrbsAny() {
        TypeCode fixed = orb.create_fixed_tc((short) 5, (short) 2);
        assertFalse(ValueCodec.supports(fixed));
        Any a = orb.create_any();
        a.insert_fixed(new java.math.BigDecimal("123.45"), fixed);
        OutputStream o = orb.create_output_stream();
        o.write_any(a);
        Any back = FastAny.read(orb, o.create_input_stream());
        assertFalse(back instanceof FastAny);
        assertTrue(back.equal(a));
    }
}
