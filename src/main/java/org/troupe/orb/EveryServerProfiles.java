package org.troupe.orb;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.omg.CORBA.ORB;
import org.omg.IIOP.ProfileBody_1_1;
import org.omg.IIOP.ProfileBody_1_1Helper;
import org.omg.IOP.IOR;
import org.omg.IOP.IORHelper;
import org.omg.IOP.TAG_ALTERNATE_IIOP_ADDRESS;
import org.omg.IOP.TAG_INTERNET_IOP;
import org.omg.IOP.TaggedComponent;
import org.omg.IOP.TaggedProfile;
import org.omg.SSLIOP.SSL;
import org.omg.SSLIOP.SSLHelper;
import org.omg.SSLIOP.TAG_SSL_SEC_TRANS;

/**
 * Object references of a cluster over TLS that name every server in a way a TLS client can
 * follow when its server dies: one IIOP profile per server, each with that server's host and
 * its own TLS port ({@code TAG_SSL_SEC_TRANS}), the same object key in each.
 *
 * <p>Why not {@code jacorb.iiop.alternate_addresses} (as over plain IIOP): an alternate address
 * ({@code TAG_ALTERNATE_IIOP_ADDRESS}) carries a host and a plaintext port only, and JacORB 3.9
 * connects to every address of a TLS profile on the one TLS port of the profile's
 * {@code TAG_SSL_SEC_TRANS} component, ignoring the alternate's port
 * ({@code ClientIIOPConnection.createSocket}; measured in {@code EveryServerProfilesTest}). That
 * works only when every server listens on the same TLS port; with one profile per server it
 * works whatever the ports (all servers on one host, as in tests). A JacORB client whose
 * profile's server cannot be reached moves to the reference's next profile by itself
 * ({@code Delegate.checkNextProfile}); omniORB reads every profile's address too.
 */
public final class EveryServerProfiles implements UnaryOperator<org.omg.CORBA.Object> {
    private final ORB orb;
    private final List<ServerAddress.Endpoint> others;

    /**
     * @param orb the server's ORB (it makes the references)
     * @param others every other server of the cluster: host and TLS port, in the order clients
     *     should try them after this server
     */
    public EveryServerProfiles(ORB orb, List<ServerAddress.Endpoint> others) {
        this.orb = orb;
        this.others = List.copyOf(others);
    }

    /**
     * The reference {@code ref} (made by this server's ORB) with, after its own profiles, one
     * profile per other server; unchanged if it has no IIOP 1.1+ profile with a TLS port.
     */
    @Override
    public org.omg.CORBA.Object apply(org.omg.CORBA.Object ref) {
        if (ref == null || others.isEmpty()) {
            return ref;
        }
        String text = orb.object_to_string(ref);
        IOR ior = read(text);
        List<TaggedProfile> profiles = new ArrayList<>(List.of(ior.profiles));
        ProfileBody_1_1 body = null;
        for (TaggedProfile p : ior.profiles) {
            if (p.tag == TAG_INTERNET_IOP.value) {
                body = body(p.profile_data);
                break;
            }
        }
        SSL ssl = body == null ? null : ssl(body);
        if (ssl == null) {
            return ref;
        }
        for (ServerAddress.Endpoint e : others) {
            List<TaggedComponent> components = new ArrayList<>();
            for (TaggedComponent c : body.components) {
                if (c.tag == TAG_SSL_SEC_TRANS.value) {
                    components.add(new TaggedComponent(TAG_SSL_SEC_TRANS.value, encodeSsl(
                            new SSL(ssl.target_supports, ssl.target_requires, (short) e.port()))));
                } else if (c.tag != TAG_ALTERNATE_IIOP_ADDRESS.value) {
                    components.add(c);
                }
            }
            // port 0: no plaintext listener, as on this server (a TLS-only server's own profile)
            ProfileBody_1_1 other = new ProfileBody_1_1(body.iiop_version, e.host(),
                    body.port == 0 ? 0 : (short) e.port(), body.object_key,
                    components.toArray(new TaggedComponent[0]));
            profiles.add(new TaggedProfile(TAG_INTERNET_IOP.value, encodeBody(other)));
        }
        return orb.string_to_object(write(new IOR(ior.type_id, profiles.toArray(new TaggedProfile[0]))));
    }

    /** The host and TLS port of each IIOP profile of an IOR, in order (for tests and diagnosis). */
    public static List<ServerAddress.Endpoint> tlsEndpoints(String iorText) {
        List<ServerAddress.Endpoint> out = new ArrayList<>();
        for (TaggedProfile p : read(iorText).profiles) {
            if (p.tag == TAG_INTERNET_IOP.value) {
                ProfileBody_1_1 b = body(p.profile_data);
                SSL ssl = ssl(b);
                if (ssl != null) {
                    out.add(new ServerAddress.Endpoint(b.host, ssl.port & 0xffff));
                }
            }
        }
        return out;
    }

    private static IOR read(String text) {
        org.jacorb.orb.CDRInputStream in = new org.jacorb.orb.CDRInputStream(
                HexFormat.of().parseHex(text.substring("IOR:".length())));
        in.openEncapsulatedArray();
        return IORHelper.read(in);
    }

    private static String write(IOR ior) {
        org.jacorb.orb.CDROutputStream out = new org.jacorb.orb.CDROutputStream();
        try {
            out.beginEncapsulatedArray();
            IORHelper.write(out, ior);
            return "IOR:" + HexFormat.of().formatHex(out.getBufferCopy());
        } finally {
            out.close();
        }
    }

    private static ProfileBody_1_1 body(byte[] data) {
        org.jacorb.orb.CDRInputStream in = new org.jacorb.orb.CDRInputStream(data);
        in.openEncapsulatedArray();
        org.omg.IIOP.Version v = org.omg.IIOP.VersionHelper.read(in);
        if (v.minor < 1) {
            return null; // an IIOP 1.0 profile has no components, hence no TLS port
        }
        in = new org.jacorb.orb.CDRInputStream(data);
        in.openEncapsulatedArray();
        return ProfileBody_1_1Helper.read(in);
    }

    private static SSL ssl(ProfileBody_1_1 body) {
        if (body == null) {
            return null;
        }
        for (TaggedComponent c : body.components) {
            if (c.tag == TAG_SSL_SEC_TRANS.value) {
                org.jacorb.orb.CDRInputStream in = new org.jacorb.orb.CDRInputStream(c.component_data);
                in.openEncapsulatedArray();
                return SSLHelper.read(in);
            }
        }
        return null;
    }

    private static byte[] encodeSsl(SSL ssl) {
        org.jacorb.orb.CDROutputStream out = new org.jacorb.orb.CDROutputStream();
        try {
            out.beginEncapsulatedArray();
            SSLHelper.write(out, ssl);
            return out.getBufferCopy();
        } finally {
            out.close();
        }
    }

    private static byte[] encodeBody(ProfileBody_1_1 body) {
        org.jacorb.orb.CDROutputStream out = new org.jacorb.orb.CDROutputStream();
        try {
            out.beginEncapsulatedArray();
            ProfileBody_1_1Helper.write(out, body);
            return out.getBufferCopy();
        } finally {
            out.close();
        }
    }
}
