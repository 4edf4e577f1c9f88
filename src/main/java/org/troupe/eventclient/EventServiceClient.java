package org.troupe.eventclient;

import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.idl.Events.EventChannelFactory;
import org.troupe.idl.Events.EventChannelFactoryHelper;
import org.troupe.idl.Events.UnknownChannel;
import org.troupe.orb.OrbFactory;
import org.troupe.orb.ServerAddress;

/**
 * A client's connection to a Troupe server: its own ORB (with an active root POA for
 * call-back objects) and the server's event channel factory.
 */
public final class EventServiceClient implements AutoCloseable {
    /** Default time a call to the server may take before it fails with TIMEOUT. */
    public static final long DEFAULT_REPLY_TIMEOUT_MS = 10_000;

    private final ORB orb;
    private final POA rootPoa;
    private final EventChannelFactory factory;

    private EventServiceClient(ORB orb, ServerAddress server) throws Exception {
        this.orb = orb;
        this.rootPoa = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
        rootPoa.the_POAManager().activate();
        // unchecked: no call yet; an unreachable server shows at the first real call
        this.factory = server == null ? null : EventChannelFactoryHelper.unchecked_narrow(
                orb.string_to_object(server.objectUrl(OrbFactory.FACTORY_KEY)));
    }

    /**
     * Connects to a server given in any form {@link ServerAddress} reads: {@code HOST},
     * {@code HOST:PORT}, {@code corbaloc:iiop:HOST:PORT}, any URL or IOR the server prints (its
     * factory, groups, naming, a channel's corbaloc or corbaname ...).
     *
     * @throws IllegalArgumentException {@code server} is not a server address (the message says why)
     */
    public static EventServiceClient connect(String server) throws Exception {
        org.troupe.orb.TlsConfig tls = org.troupe.orb.TlsConfig.fromSystemProperties();
        ServerAddress address = ServerAddress.parse(server);
        return open(tls != null ? address.withTls(true) : address, tls);
    }

    /**
     * Connects to a server over TLS if {@code tls} is given (else plain IIOP), in any form
     * {@link ServerAddress} reads.
     */
    public static EventServiceClient connect(String server, org.troupe.orb.TlsConfig tls) throws Exception {
        ServerAddress address = ServerAddress.parse(server);
        return open(tls != null ? address.withTls(true) : address, tls);
    }

    /** A client ORB for a program that is handed channel references (IORs) directly. */
    public static EventServiceClient withoutServer() throws Exception {
        return open(null, org.troupe.orb.TlsConfig.fromSystemProperties());
    }

    private static EventServiceClient open(ServerAddress server, org.troupe.orb.TlsConfig tls) throws Exception {
        if (tls != null) {
            tls.check(false);
        }
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", DEFAULT_REPLY_TIMEOUT_MS, tls));
        try {
            return new EventServiceClient(orb, server);
        } catch (Exception | Error e) {
            orb.shutdown(false);
            throw e;
        }
    }

    public ORB orb() {
        return orb;
    }

    public POA rootPoa() {
        return rootPoa;
    }

    public EventChannelFactory factory() {
        if (factory == null) {
            throw new IllegalStateException("this client was opened without a server");
        }
        return factory;
    }

    public EventChannel channel(String name) throws UnknownChannel {
        return factory.find_channel(name);
    }

    @Override
    public void close() {
        orb.shutdown(false);
    }
}
