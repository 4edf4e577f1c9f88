package org.troupe.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.omg.CORBA.ORB;
import org.omg.CORBA.Policy;
import org.omg.PortableServer.IdAssignmentPolicyValue;
import org.omg.PortableServer.LifespanPolicyValue;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.omg.PortableServer.RequestProcessingPolicyValue;
import org.omg.PortableServer.ServantRetentionPolicyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.server.events.corba.ChannelBinding;
import org.troupe.server.events.corba.ChannelDirectory;
import org.troupe.server.events.corba.ChannelFactoryServant;
import org.troupe.server.events.corba.PeerCalls;
import org.troupe.server.events.corba.ServantRegistry;
import org.troupe.idl.Events.EventChannelFactory;
import org.troupe.idl.Events.EventChannelFactoryHelper;
import org.troupe.orb.OrbFactory;

/**
 * A running Troupe server: one JacORB ORB hosting the event channel factory, its channels and
 * (optionally) a naming service.
 *
 * <pre>
 *  corbaloc:iiop:HOST:PORT/TroupeEventChannelFactory   create / find / list / destroy channels
 *  corbaloc:iiop:HOST:PORT/NameService                 troupe/channels/NAME -> each channel
 *  corbaloc:iiop:HOST:PORT/Troupe/channels/NAME        each channel, directly
 *  corbaloc:iiop:HOST:PORT/TroupeGroups                the Groups Administrator
 *  corbaloc:iiop:HOST:PORT/Troupe/groups/NAME          each group's Group Manager
 *  corbaloc:iiop:HOST:PORT/TroupeHosted                hosted members for IDL clients
 * </pre>
 */
public final class TroupeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TroupeServer.class);

    private final ServerSettings settings;
    private final ORB orb;
    private final PeerCalls peerCalls = new PeerCalls();
    private final ChannelDirectory directory;
    private final EventChannelFactory factory;
    private final org.troupe.server.groups.corba.GroupDirectory groups;
    private final org.troupe.idl.Groups.GroupsAdministrator groupsAdministrator;
    private final org.troupe.hosted.HostedMembersService hosted;
    /** The cluster this server is part of (null: on its own). */
    private org.troupe.server.cluster.ClusterNode cluster;
    /** The operations endpoint and its metrics (null: no --http-port). */
    private org.troupe.server.ops.OpsHttpServer http;
    private org.troupe.server.ops.TroupeMetrics metrics;
    private volatile boolean serving;
    private volatile boolean closed;
    /** IIOP over TLS only (null: plain IIOP). */
    private final org.troupe.orb.TlsConfig tls;

    private TroupeServer(ServerSettings settings, org.troupe.orb.TlsConfig tls) throws Exception {
        this.settings = settings;
        this.tls = tls;
        java.util.Properties orbProperties = OrbFactory.serverProperties(settings.host(), settings.port(),
                settings.channels().replyTimeoutMillis(), tls);
        settings.limits().applyTo(orbProperties);
        if (settings.cluster() != null) {
            org.troupe.orb.LeaderForwarding.install(orbProperties); // calls on groups led elsewhere go there
            // every object reference also names the other servers (TAG_ALTERNATE_IIOP_ADDRESS): a
            // plain CORBA client whose server dies tries them, and is forwarded to the leader.
            // Over TLS an alternate address cannot carry its TLS port: group managers' and hosted
            // members' references get one profile per server instead (EveryServerProfiles).
            if (tls == null) {
                orbProperties.setProperty("jacorb.iiop.alternate_addresses", String.join(",", otherServers(settings)));
            }
        }
        if (settings.admin() != null) {
            org.troupe.server.security.AdminGate.install(orbProperties);
        }
        this.orb = OrbFactory.init(orbProperties);
        try {
            if (settings.admin() != null) { // before any request is served: administrative calls need it
                org.troupe.server.security.AdminGate.of(orb).require(settings.admin());
            }
            POA root = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
            ChannelBinding binding = settings.naming() ? new EmbeddedNaming(orb, root) : ChannelBinding.NONE;

            ServantRegistry channelObjects = new ServantRegistry();
            channelObjects.attach(locatorPoa(root, "channels", LifespanPolicyValue.PERSISTENT, channelObjects));
            ServantRegistry proxyObjects = new ServantRegistry();
            proxyObjects.attach(locatorPoa(root, "proxies", LifespanPolicyValue.TRANSIENT, proxyObjects));

            directory = new ChannelDirectory(orb, settings.channels(), channelObjects, proxyObjects, peerCalls, binding);

            POA factoryPoa = root.create_POA("factory", root.the_POAManager(), new Policy[] {
                root.create_lifespan_policy(LifespanPolicyValue.PERSISTENT),
                root.create_id_assignment_policy(IdAssignmentPolicyValue.USER_ID),
            });
            byte[] oid = "EventChannelFactory".getBytes(StandardCharsets.UTF_8);
            factoryPoa.activate_object_with_id(oid, new ChannelFactoryServant(directory));
            factory = EventChannelFactoryHelper.narrow(factoryPoa.id_to_reference(oid));
            ((org.jacorb.orb.ORB) orb).addObjectKey(OrbFactory.FACTORY_KEY, orb.object_to_string(factory));

            ServantRegistry managerObjects = new ServantRegistry();
            managerObjects.attach(locatorPoa(root, "groups", LifespanPolicyValue.PERSISTENT, managerObjects));
            ServantRegistry hostedObjects = new ServantRegistry();
            if (settings.cluster() != null && tls != null) {
                org.troupe.orb.EveryServerProfiles everyServer = new org.troupe.orb.EveryServerProfiles(orb,
                        otherServers(settings).stream().map(a -> org.troupe.orb.ServerAddress.parse(a).endpoints()
                                .get(0)).toList());
                managerObjects.referencesVia(everyServer);
                hostedObjects.referencesVia(everyServer);
            }
            groups = new org.troupe.server.groups.corba.GroupDirectory(orb, settings.groups(), directory, managerObjects);

            byte[] adminOid = "GroupsAdministrator".getBytes(StandardCharsets.UTF_8);
            factoryPoa.activate_object_with_id(adminOid, groups);
            groupsAdministrator = org.troupe.idl.Groups.GroupsAdministratorHelper.narrow(
                    factoryPoa.id_to_reference(adminOid));
            ((org.jacorb.orb.ORB) orb).addObjectKey(OrbFactory.GROUPS_KEY, orb.object_to_string(groupsAdministrator));

            // hosted members: objects whose keys cannot be guessed, handed only to their creators; in a
            // cluster persistent, with keys any server can check, so that another one takes them over
            hostedObjects.attach(locatorPoa(root, "hosted", settings.cluster() != null ? LifespanPolicyValue.PERSISTENT
                    : LifespanPolicyValue.TRANSIENT, hostedObjects));
            hosted = new org.troupe.hosted.HostedMembersService(hostedMembersJoin(settings),
                    settings.groups(), hostedObjects, settings.cluster() == null
                            ? org.troupe.hosted.HostedRecords.NONE : hostedRecords(),
                    settings.limits().maxHostedMembers(), settings.limits().maxHostedPerClient());
            byte[] hostedOid = "HostedMembers".getBytes(StandardCharsets.UTF_8);
            factoryPoa.activate_object_with_id(hostedOid, hosted);
            org.troupe.idl.Hosted.HostedMembers hostedRef = org.troupe.idl.Hosted.HostedMembersHelper.narrow(
                    factoryPoa.id_to_reference(hostedOid));
            hosted.attach(hostedRef);
            hosted.useTls(tls);
            ((org.jacorb.orb.ORB) orb).addObjectKey(OrbFactory.HOSTED_KEY, orb.object_to_string(hostedRef));

            if (settings.cluster() != null) {
                // groups live in the cluster: every server holds a copy, the leader of each hosts it.
                // Started once every object is registered and before requests are served, which
                // wait meanwhile (a recovering log can take seconds): no caller sees a half-started server.
                cluster = org.troupe.server.cluster.ClusterNode.start(settings.cluster().raft(),
                        groups.replicatedStates());
                groups.joinCluster(cluster, settings.cluster().iiop(), tls != null);
                org.troupe.orb.LeaderForwarding.of(orb).route((poa, id) -> "hosted".equals(poa) ? hosted.forwardTo(id)
                        : groups.forwardTo(poa, id));
            }
            root.the_POAManager().activate();
            if (binding instanceof EmbeddedNaming naming) {
                naming.bindGroups(groupsAdministrator);
            }
            serving = true;
            if (settings.httpPort() != 0) {
                org.troupe.server.ops.OpsSource ops = new org.troupe.server.ops.ServerOpsSource(groups, directory,
                        () -> cluster, () -> serving && !closed);
                metrics = new org.troupe.server.ops.TroupeMetrics(ops);
                if (cluster != null) {
                    cluster.observeCommits(metrics.commitTimer());
                }
                http = org.troupe.server.ops.OpsHttpServer.start(settings.host(),
                        settings.httpPort() < 0 ? 0 : settings.httpPort(), ops, metrics, settings.admin());
            }
        } catch (Exception | Error e) {
            if (cluster != null) {
                cluster.close();
            }
            org.troupe.server.security.AdminGate.release(orb);
            orb.shutdown(false);
            throw e;
        }
    }

    /** The IIOP {@code HOST:PORT} of every other server of the cluster. */
    private static List<String> otherServers(ServerSettings settings) {
        List<String> others = new ArrayList<>();
        settings.cluster().iiop().forEach((id, address) -> {
            if (!id.equals(settings.cluster().raft().serverId())) {
                others.add(address);
            }
        });
        return others;
    }

    /** Hosted members' records in this server's copy of their groups (a cluster). */
    private org.troupe.hosted.HostedRecords hostedRecords() {
        return new org.troupe.hosted.HostedRecords() {
            @Override
            public Record find(String group, long member) {
                return groups.readReplica(group, core -> {
                    String token = core.token(member);
                    org.troupe.server.groups.MemberInfo m = core.member(member);
                    if (token == null || m == null) {
                        return null;
                    }
                    org.troupe.server.groups.GroupCore.PushRecord p = core.pushRecord(member);
                    return new Record(m.name(), m.role(), token, core.nextMessageId(member), core.deliveredTo(member),
                            core.lastSequenceId(), p == null ? "" : p.callback(), p == null ? "" : p.pusher(),
                            p == null ? -1 : p.version());
                });
            }

            @Override
            public void awaitCaughtUp(String group) throws Exception {
                groups.awaitCaughtUp(group, settings.groups().suspectMillis());
            }

            @Override
            public boolean recordDelivered(String group, long member, String token, long sequenceId)
                    throws Exception {
                return groups.recordDelivered(group, member, token, sequenceId, settings.groups().suspectMillis());
            }

            @Override
            public boolean recordPushed(String group, long member, String token, long sequenceId, String pusher)
                    throws Exception {
                return groups.submitHostedCommand(group, new org.troupe.server.groups.GroupCommand.Delivered(member,
                        token, sequenceId, pusher, 0), settings.groups().suspectMillis());
            }

            @Override
            public boolean claimPusher(String group, long member, String token, String callback, String pusher,
                    long expectedVersion) throws Exception {
                return groups.submitHostedCommand(group, new org.troupe.server.groups.GroupCommand.Pusher(member,
                        token, callback, pusher, expectedVersion, 0), settings.groups().suspectMillis());
            }

            @Override
            public String serverId() {
                return settings.cluster().raft().serverId();
            }

            @Override
            public String addressOf(String serverId) {
                return settings.cluster().iiop().get(serverId);
            }

            @Override
            public List<String> ledGroups() {
                return groups.hostedHere();
            }

            @Override
            public List<Long> pushMembers(String group) {
                List<Long> ids = groups.readReplica(group, org.troupe.server.groups.GroupCore::pushMembers);
                return ids == null ? List.of() : ids;
            }
        };
    }

    /**
     * Where hosted members join: this server, and in a cluster every other server after it, so
     * that a hosted member moves to a group's new leader like any member.
     */
    private static String hostedMembersJoin(ServerSettings settings) {
        String self = settings.host() + ":" + settings.port();
        if (settings.cluster() == null) {
            return self;
        }
        List<String> all = new ArrayList<>(List.of(self));
        settings.cluster().iiop().values().stream().filter(a -> !a.equals(self)).forEach(all::add);
        return String.join(",", all);
    }

    /** The port of the operations endpoint over HTTP, or 0 if it has none. */
    public int httpPort() {
        return http == null ? 0 : http.port();
    }

    /** The server's metrics, or null without an operations endpoint. */
    public org.troupe.server.ops.TroupeMetrics metrics() {
        return metrics;
    }

    /** The cluster this server is part of, or null on its own. */
    public org.troupe.server.cluster.ClusterNode cluster() {
        return cluster;
    }

    private static POA locatorPoa(POA root, String name, LifespanPolicyValue lifespan, ServantRegistry locator)
            throws Exception {
        POA poa = root.create_POA(name, root.the_POAManager(), new Policy[] {
            root.create_lifespan_policy(lifespan),
            root.create_id_assignment_policy(IdAssignmentPolicyValue.USER_ID),
            root.create_servant_retention_policy(ServantRetentionPolicyValue.NON_RETAIN),
            root.create_request_processing_policy(RequestProcessingPolicyValue.USE_SERVANT_MANAGER),
        });
        poa.set_servant_manager(locator);
        return poa;
    }

    /**
     * Starts a server; it serves requests as soon as this returns.
     *
     * @throws Exception if the ORB cannot start (port taken, bad host)
     */
    public static TroupeServer start(ServerSettings settings) throws Exception {
        return start(settings, null);
    }

    /**
     * Starts a server that speaks IIOP over TLS only if {@code tls} is given (its port is then the
     * TLS port; a plaintext client is refused); it serves requests as soon as this returns.
     *
     * @throws Exception if the ORB cannot start (port taken, bad host, unreadable key store)
     */
    public static TroupeServer start(ServerSettings settings, org.troupe.orb.TlsConfig tls) throws Exception {
        if (tls != null) {
            tls.check(true);
        }
        TroupeServer s = new TroupeServer(settings, tls);
        LOG.info("troupe server listening on {}:{}{}", settings.host(), settings.port(),
                tls == null ? "" : " (IIOP over TLS only" + (tls.clientAuth() ? ", client certificates required)" : ")"));
        return s;
    }

    /** The TLS configuration of this server, or null for plain IIOP. */
    public org.troupe.orb.TlsConfig tls() {
        return tls;
    }

    public ServerSettings settings() {
        return settings;
    }

    public ORB orb() {
        return orb;
    }

    public ChannelDirectory directory() {
        return directory;
    }

    public EventChannelFactory factory() {
        return factory;
    }

    /** The group directory itself (its settings that the IDL does not carry). */
    public org.troupe.server.groups.corba.GroupDirectory groupDirectory() {
        return groups;
    }

    /** The Groups Administrator (the group directory). */
    public org.troupe.idl.Groups.GroupsAdministrator groupsAdministrator() {
        return groupsAdministrator;
    }

    /** The factory of hosted members (IDL clients' member stacks in the server). */
    public org.troupe.hosted.HostedMembersService hosted() {
        return hosted;
    }

    /** {@code corbaloc:iiop:HOST:PORT} ({@code corbaloc:ssliop:HOST:PORT} over TLS). */
    public String baseUrl() {
        return OrbFactory.corbaloc(settings.host(), settings.port(), tls != null);
    }

    /** The URLs a client can use, one per line, for printing at start-up. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("factory  " + baseUrl() + "/" + OrbFactory.FACTORY_KEY);
        lines.add("groups   " + baseUrl() + "/" + OrbFactory.GROUPS_KEY + "   (each group: " + baseUrl() + "/"
                + OrbFactory.IMPL_NAME + "/groups/NAME)");
        lines.add("hosted   " + baseUrl() + "/" + OrbFactory.HOSTED_KEY + "   (members hosted for IDL clients)");
        if (settings.naming()) {
            lines.add("naming   " + baseUrl() + "/" + EmbeddedNaming.KEY
                    + "   (channels bound as troupe/channels/NAME, groups as troupe/groups)");
        }
        lines.add("channel  " + channelUrl("NAME"));
        return lines;
    }

    /** The corbaloc URL of a channel. */
    public String channelUrl(String name) {
        return baseUrl() + "/" + OrbFactory.IMPL_NAME + "/channels/" + name;
    }

    /** The corbaname URL of a channel in this server's naming service. */
    public String channelCorbaname(String name) {
        return "corbaname:" + (tls == null ? ":" : "ssliop:1.2@") + settings.host() + ":" + settings.port()
                + "#troupe/channels/" + name;
    }

    /** Destroys every channel (clients are told), then shuts the ORB down. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("troupe server stopping");
        if (http != null) {
            http.close();
        }
        hosted.close();
        if (cluster != null) {
            cluster.close(); // before the groups: no command is applied after their channels are gone
        }
        groups.close();
        directory.close();
        peerCalls.close();
        org.troupe.orb.LeaderForwarding.release(orb);
        org.troupe.server.security.AdminGate.release(orb);
        orb.shutdown(false);
        LOG.info("troupe server stopped");
    }
}
