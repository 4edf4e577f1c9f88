package org.troupe.server;

import java.nio.charset.StandardCharsets;
import org.jacorb.naming.NamingContextImpl;
import org.omg.CORBA.ORB;
import org.omg.CORBA.Policy;
import org.omg.CosNaming.NameComponent;
import org.omg.CosNaming.NamingContext;
import org.omg.CosNaming.NamingContextExt;
import org.omg.CosNaming.NamingContextExtHelper;
import org.omg.CosNaming.NamingContextHelper;
import org.omg.CosNaming.NamingContextPackage.NotFound;
import org.omg.PortableServer.IdAssignmentPolicyValue;
import org.omg.PortableServer.LifespanPolicyValue;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.RequestProcessingPolicyValue;
import org.omg.PortableServer.Servant;
import org.omg.PortableServer._ServantActivatorLocalBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.server.events.corba.ChannelBinding;

/**
 * JacORB's CosNaming implementation, hosted in the server's own ORB and kept in memory. Clients
 * reach it as {@code corbaloc:iiop:HOST:PORT/NameService}; channels are bound as
 * {@code troupe/channels/NAME}, the Groups Administrator as {@code troupe/groups}.
 */
final class EmbeddedNaming implements ChannelBinding {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNaming.class);
    static final String KEY = "NameService";

    private final NamingContextExt root;

    EmbeddedNaming(ORB orb, POA rootPoa) throws Exception {
        org.jacorb.config.Configuration config = ((org.jacorb.orb.ORB) orb).getConfiguration();
        Policy[] policies = {
            rootPoa.create_id_assignment_policy(IdAssignmentPolicyValue.USER_ID),
            rootPoa.create_lifespan_policy(LifespanPolicyValue.PERSISTENT),
            rootPoa.create_request_processing_policy(RequestProcessingPolicyValue.USE_SERVANT_MANAGER),
        };
        POA poa = rootPoa.create_POA("NameServer-POA", rootPoa.the_POAManager(), policies);
        NamingContextImpl.init(orb, rootPoa);
        poa.set_servant_manager(new InMemoryContexts(config));
        org.omg.CORBA.Object ref = poa.create_reference_with_id("_root".getBytes(StandardCharsets.UTF_8),
                NamingContextExtHelper.id());
        ((org.jacorb.orb.ORB) orb).addObjectKey(KEY, orb.object_to_string(ref));
        root = NamingContextExtHelper.narrow(ref);
    }

    NamingContextExt root() {
        return root;
    }

    /**
     * Binds a channel as {@code troupe/channels/NAME}, NAME read in the CosNaming string syntax
     * ("d.t" is id "d", kind "t"), so that {@code corbaname:...#troupe/channels/NAME} resolves in
     * any ORB and {@link #unbind} removes exactly that binding. Channel names have at most one
     * '.', and no '/' or '\' (see ChannelDirectory).
     */
    @Override
    public void bind(String name, org.omg.CORBA.Object channel) {
        try {
            NamingContext ctx = context(root, "troupe");
            ctx = context(ctx, "channels");
            ctx.rebind(channelName(name), channel);
        } catch (Exception e) {
            LOG.warn("could not bind channel {} in the naming service: {}", name, e.toString());
        }
    }

    /** A channel's name as one CosNaming component, read in the string syntax. */
    static NameComponent[] channelName(String name) throws org.omg.CosNaming.NamingContextPackage.InvalidName {
        NameComponent[] n = org.jacorb.naming.Name.toName(name);
        if (n.length != 1) {
            throw new org.omg.CosNaming.NamingContextPackage.InvalidName();
        }
        return n;
    }

    /** Binds the Groups Administrator as {@code troupe/groups}. */
    void bindGroups(org.omg.CORBA.Object admin) {
        try {
            context(root, "troupe").rebind(new NameComponent[] {new NameComponent("groups", "")}, admin);
        } catch (Exception e) {
            LOG.warn("could not bind the groups administrator in the naming service: {}", e.toString());
        }
    }

    @Override
    public void unbind(String name) {
        try {
            NamingContext ctx = NamingContextHelper.narrow(root.resolve_str("troupe/channels"));
            ctx.unbind(channelName(name));
        } catch (Exception e) {
            LOG.warn("could not unbind channel {} from the naming service: {}", name, e.toString());
        }
    }

    private static NamingContext context(NamingContext parent, String id) throws Exception {
        NameComponent[] n = {new NameComponent(id, "")};
        try {
            return NamingContextHelper.narrow(parent.resolve(n));
        } catch (NotFound e) {
            return parent.bind_new_context(n);
        }
    }

    /** Incarnates naming contexts on first use, empty and in memory. */
    private static final class InMemoryContexts extends _ServantActivatorLocalBase {
        private static final long serialVersionUID = 1L;
        private final transient org.jacorb.config.Configuration config;

        InMemoryContexts(org.jacorb.config.Configuration config) {
            this.config = config;
        }

        @Override
        public Servant incarnate(byte[] oid, POA adapter) {
            NamingContextImpl ctx = new NamingContextImpl();
            try {
                ctx.configure(config);
            } catch (org.jacorb.config.ConfigurationException e) {
                throw new org.omg.CORBA.INTERNAL("naming context configuration: " + e);
            }
            try {
                // NamingContextImpl.init(POA) is package-private in JacORB 3.9; NameServer calls it
                // from its own activator, which also reads contexts from files (not wanted here).
                java.lang.reflect.Method init = NamingContextImpl.class.getDeclaredMethod("init", POA.class);
                init.setAccessible(true);
                init.invoke(ctx, adapter);
            } catch (ReflectiveOperationException e) {
                throw new org.omg.CORBA.INTERNAL("naming context initialisation: " + e);
            }
            return ctx;
        }

        @Override
        public void etherealize(byte[] oid, POA adapter, Servant servant, boolean cleanup, boolean remaining) {
            // in memory only
        }
    }
}
