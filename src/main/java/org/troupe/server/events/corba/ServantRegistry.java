package org.troupe.server.events.corba;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.InvokeHandler;
import org.omg.CORBA.portable.OutputStream;
import org.omg.CORBA.portable.ResponseHandler;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.Servant;
import org.omg.PortableServer.ServantLocatorPackage.CookieHolder;
import org.omg.PortableServer._ServantLocatorLocalBase;

/**
 * The servant locator of one NON_RETAIN POA: object id (a UTF-8 string) to servant. Removing an
 * entry disposes the object: every later call on it raises OBJECT_NOT_EXIST, with no
 * deactivation race, and a name can be reused at once.
 *
 * <p>An unknown id is answered by the {@link Gone} servant, not by throwing from
 * {@code preinvoke}: JacORB 3.9's RequestProcessor then calls {@code set_delegate(null)}, its
 * request thread dies with BAD_PARAM and the client never gets a reply (it waits until its reply
 * time-out, or for ever).
 */
public final class ServantRegistry extends _ServantLocatorLocalBase {
    private static final long serialVersionUID = 1L;

    private static final Servant GONE = new Gone();

    private final transient Map<String, Servant> servants = new ConcurrentHashMap<>();
    private transient POA poa;

    /** Binds this registry to its POA (done once, after the POA is created). */
    public void attach(POA poa) {
        this.poa = poa;
    }

    /** Registers a servant under {@code id} and returns its object reference. */
    public org.omg.CORBA.Object register(String id, Servant servant, String repositoryId) {
        servants.put(id, servant);
        return reference(id, repositoryId);
    }

    /** The reference of an object registered under {@code id}. */
    public org.omg.CORBA.Object reference(String id, String repositoryId) {
        try {
            return poa.create_reference_with_id(id.getBytes(StandardCharsets.UTF_8), repositoryId);
        } catch (org.omg.PortableServer.POAPackage.WrongPolicy e) {
            throw new IllegalStateException("POA must have the USER_ID policy", e);
        }
    }

    /** Disposes the object registered under {@code id}. */
    public void unregister(String id) {
        servants.remove(id);
    }

    @Override
    public Servant preinvoke(byte[] oid, POA adapter, String operation, CookieHolder cookie) {
        Servant s = servants.get(new String(oid, StandardCharsets.UTF_8));
        return s != null ? s : GONE;
    }

    @Override
    public void postinvoke(byte[] oid, POA adapter, String operation, Object cookie, Servant servant) {
        // nothing to release
    }

    private static OBJECT_NOT_EXIST gone() {
        return new OBJECT_NOT_EXIST("Troupe: no such object (disconnected, destroyed or never created)");
    }

    /** Stands in for every disposed object: each call raises OBJECT_NOT_EXIST. */
    private static final class Gone extends Servant implements InvokeHandler {
        private static final String[] IDS = {"IDL:omg.org/CORBA/Object:1.0"};

        @Override
        public OutputStream _invoke(String operation, InputStream in, ResponseHandler handler) {
            throw gone();
        }

        @Override
        public boolean _is_a(String repositoryId) {
            throw gone();
        }

        @Override
        public boolean _non_existent() {
            return true;
        }

        @Override
        public String[] _all_interfaces(POA poa, byte[] objectId) {
            return IDS.clone();
        }
    }
}
