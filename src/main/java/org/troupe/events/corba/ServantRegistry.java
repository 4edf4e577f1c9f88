package org.troupe.events.corba;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.Servant;
import org.omg.PortableServer.ServantLocatorPackage.CookieHolder;
import org.omg.PortableServer._ServantLocatorLocalBase;

/**
 * The servant locator of one NON_RETAIN POA: object id (a UTF-8 string) to servant. Removing an
 * entry disposes the object: every later call on it raises OBJECT_NOT_EXIST, with no
 * deactivation race, and a name can be reused at once.
 */
public final class ServantRegistry extends _ServantLocatorLocalBase {
    private static final long serialVersionUID = 1L;

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
        if (s == null) {
            throw new OBJECT_NOT_EXIST("Troupe: no such object (disconnected, destroyed or never created)");
        }
        return s;
    }

    @Override
    public void postinvoke(byte[] oid, POA adapter, String operation, Object cookie, Servant servant) {
        // nothing to release
    }
}
