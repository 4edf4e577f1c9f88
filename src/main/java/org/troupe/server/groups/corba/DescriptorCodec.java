package org.troupe.server.groups.corba;

import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.IOP.Codec;
import org.omg.IOP.CodecFactory;
import org.omg.IOP.CodecFactoryHelper;
import org.omg.IOP.ENCODING_CDR_ENCAPS;
import org.omg.IOP.Encoding;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupDescriptorHelper;

/**
 * A group's descriptor as octets and back (a CDR encapsulation, the standard IOP codec): how a
 * group's creation travels in the replicated log, the same on every server.
 */
final class DescriptorCodec {
    private DescriptorCodec() {
    }

    private static Codec codec(ORB orb) {
        try {
            CodecFactory f = CodecFactoryHelper.narrow(orb.resolve_initial_references("CodecFactory"));
            return f.create_codec(new Encoding(ENCODING_CDR_ENCAPS.value, (byte) 1, (byte) 2));
        } catch (org.omg.CORBA.UserException e) {
            throw new org.omg.CORBA.INTERNAL("Troupe: no CDR codec: " + e);
        }
    }

    static byte[] encode(ORB orb, GroupDescriptor d) {
        Any a = orb.create_any();
        GroupDescriptorHelper.insert(a, d);
        try {
            return codec(orb).encode_value(a);
        } catch (org.omg.IOP.CodecPackage.InvalidTypeForEncoding e) {
            throw new org.omg.CORBA.INTERNAL("Troupe: cannot encode a descriptor: " + e);
        }
    }

    static GroupDescriptor decode(ORB orb, byte[] octets) {
        try {
            return GroupDescriptorHelper.extract(codec(orb).decode_value(octets, GroupDescriptorHelper.type()));
        } catch (org.omg.IOP.CodecPackage.FormatMismatch | org.omg.IOP.CodecPackage.TypeMismatch e) {
            throw new IllegalArgumentException("not a group descriptor: " + e, e);
        }
    }
}
