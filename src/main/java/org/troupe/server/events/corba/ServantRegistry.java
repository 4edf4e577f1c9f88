package org.troupe.server.events.corba;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CORBA.SystemException;
import org.omg.CORBA.TRANSIENT;
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

    private static final Servant GONE = new Refusing(ServantRegistry::gone);

    private final transient Map<String, Servant> servants = new ConcurrentHashMap<>();
    private transient POA poa;
    private transient volatile Servant stopping;
    /** Asked for an id with no servant here: a servant made for it now, or null (none). */
    private transient volatile java.util.function.Function<String, Servant> onMissing;
    /** Applied to every reference this registry hands out (e.g. every server's profile added). */
    private transient volatile java.util.function.UnaryOperator<org.omg.CORBA.Object> references =
            java.util.function.UnaryOperator.identity();

    /** Binds this registry to its POA (done once, after the POA is created). */
    public void attach(POA poa) {
        this.poa = poa;
    }

    /** Registers a servant under {@code id} and returns its object reference. */
    public org.omg.CORBA.Object register(String id, Servant servant, String repositoryId) {
        servants.put(id, servant);
        return reference(id, repositoryId);
    }

    /** From now on, every reference this registry hands out is {@code how} applied to the POA's. */
    public void referencesVia(java.util.function.UnaryOperator<org.omg.CORBA.Object> how) {
        this.references = how;
    }

    /** The reference of an object registered under {@code id}. */
    public org.omg.CORBA.Object reference(String id, String repositoryId) {
        try {
            return references.apply(poa.create_reference_with_id(id.getBytes(StandardCharsets.UTF_8), repositoryId));
        } catch (org.omg.PortableServer.POAPackage.WrongPolicy e) {
            throw new IllegalStateException("POA must have the USER_ID policy", e);
        }
    }

    /**
     * From now on, an id with no servant is given to {@code maker}, which may make one (and
     * register it) or return null: an object that another server created and this one takes over.
     * It runs on the request's thread, before the call.
     */
    public void onMissing(java.util.function.Function<String, Servant> maker) {
        this.onMissing = maker;
    }

    /** A servant that answers every call with {@code refusal} (e.g. TRANSIENT: try again). */
    public static Servant refusing(Supplier<SystemException> refusal) {
        return new Refusing(refusal);
    }

    /** Disposes the object registered under {@code id}. */
    public void unregister(String id) {
        servants.remove(id);
    }

    /**
     * From now on every call on this POA's objects raises TRANSIENT with {@code reason}: the
     * server is stopping, and its clients are told to retry elsewhere rather than that their
     * objects are gone.
     */
    public void stopping(String reason) {
        this.stopping = new Refusing(() -> new TRANSIENT(reason));
    }

    @Override
    public Servant preinvoke(byte[] oid, POA adapter, String operation, CookieHolder cookie) {
        Servant refuse = stopping;
        if (refuse != null) {
            return refuse;
        }
        String id = new String(oid, StandardCharsets.UTF_8);
        Servant s = servants.get(id);
        java.util.function.Function<String, Servant> maker = onMissing;
        if (s == null && maker != null) {
            s = maker.apply(id);
        }
        return s != null ? s : GONE;
    }

    @Override
    public void postinvoke(byte[] oid, POA adapter, String operation, Object cookie, Servant servant) {
        // nothing to release
    }

    private static OBJECT_NOT_EXIST gone() {
        return new OBJECT_NOT_EXIST("Troupe: no such object (disconnected, destroyed or never created)");
    }

    /**
     * Stands in for every disposed object (each call raises OBJECT_NOT_EXIST) or, once the
     * server is stopping, for every object (TRANSIENT).
     */
    private static final class Refusing extends Servant implements InvokeHandler {
        private static final String[] IDS = {"IDL:omg.org/CORBA/Object:1.0"};
        private final transient Supplier<SystemException> refusal;

        Refusing(Supplier<SystemException> refusal) {
            this.refusal = refusal;
        }

        @Override
        public OutputStream _invoke(String operation, InputStream in, ResponseHandler handler) {
            throw refusal.get();
        }

        @Override
        public boolean _is_a(String repositoryId) {
            throw refusal.get();
        }

        @Override
        public boolean _non_existent() {
            SystemException e = refusal.get();
            if (e instanceof OBJECT_NOT_EXIST) {
                return true;
            }
            throw e;
        }

        @Override
        public String[] _all_interfaces(POA poa, byte[] objectId) {
            return IDS.clone();
        }
    }
}
