package org.troupe.server.groups.corba;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.omg.CORBA.ORB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.server.events.corba.ChannelDirectory;
import org.troupe.server.events.corba.ServantRegistry;
import org.troupe.server.cluster.ClusterNode;
import org.troupe.server.cluster.ReplicatedState;
import org.troupe.server.groups.GroupCore;
import org.troupe.server.groups.GroupSettings;
import org.troupe.server.groups.cluster.ClusterCommandLog;
import org.troupe.server.groups.cluster.GroupWire;
import org.troupe.server.groups.cluster.ReplicatedGroup;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupExists;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupManagerHelper;
import org.troupe.idl.Groups.GroupsAdministratorPOA;
import org.troupe.idl.Groups.InvalidDescriptor;
import org.troupe.idl.Groups.RoleSpec;
import org.troupe.idl.Groups.UNBOUNDED;
import org.troupe.idl.Groups.UnknownGroup;

/**
 * The Groups Administrator: the directory of a server's groups. Each group has a Group Manager
 * (at {@code corbaloc:iiop:HOST:PORT/Troupe/groups/NAME}) and a private event channel, which only
 * its members' tickets reveal. One reaper thread removes silent members from every group this
 * server hosts.
 *
 * <p>On one server, the directory holds the groups itself. In a cluster ({@link #joinCluster}),
 * every server holds a copy of every group ({@link ReplicatedGroup}), fed by the replicated log;
 * a group is created or destroyed through the log, so every server finds it; the server that
 * leads a group's shard hosts its manager and channel, and every other server forwards calls on
 * the manager there (LOCATION_FORWARD).
 */
public final class GroupDirectory extends GroupsAdministratorPOA implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupDirectory.class);
    /** What each copy of a group keeps of its latest events, for members that resume on a new leader. */
    static final int HISTORY_EVENTS = 65_536;
    static final long HISTORY_OCTETS = 64L << 20;

    private final ORB orb;
    private final GroupSettings settings;
    private final ChannelDirectory channels;
    private final ServantRegistry managers;
    /** The groups this server hosts (on one server: every group). */
    private final Map<String, GroupManagerServant> groups = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "troupe-group-reaper");
        t.setDaemon(true);
        return t;
    });
    /** In a cluster: this server's copy of every group, and where the others are. */
    private volatile ClusterNode node;
    private final Map<String, ReplicatedGroup> replicas = new ConcurrentSkipListMap<>();
    private Map<String, String> peerAddresses = Map.of();
    /** Whether the servers speak IIOP over TLS only (forwarded calls go to corbaloc:ssliop:). */
    private volatile boolean peersOverTls;
    /** A group with no member for this long is removed (nanoseconds; 0: kept for ever). */
    private volatile long emptyTimeoutNanos;
    /** Ticked by the reaper: a pause of this server is not the members' silence. */
    private final org.troupe.server.groups.PauseDetector pauses;

    public GroupDirectory(ORB orb, GroupSettings settings, ChannelDirectory channels, ServantRegistry managers) {
        this.orb = orb;
        this.settings = settings;
        this.channels = channels;
        this.managers = managers;
        this.pauses = org.troupe.server.groups.PauseDetector.forSuspectTime(settings.suspectMillis(),
                GroupSettings.REAPER_PERIOD_MS);
        // Guarded: a scheduled task that throws is never run again, and every group would stop reaping.
        reaper.scheduleWithFixedDelay(org.troupe.server.Guarded.task("the group reaper", LOG, this::reap),
                GroupSettings.REAPER_PERIOD_MS, GroupSettings.REAPER_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * From now on, a group that has had no member for {@code timeout} is removed (zero: empty
     * groups are kept for ever, the default). The server that hosts a group decides; in a cluster
     * the removal goes through the group's replicated log, as a destroy_group does, so every
     * server removes it.
     */
    public void removeEmptyGroupsAfter(java.time.Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the empty-group time-out must be 0 (keep) or more, got " + timeout);
        }
        emptyTimeoutNanos = timeout.toNanos();
    }

    /** The label of a group's event channel (its name adds 128 random bits; see ChannelDirectory#createPrivate). */
    public static String channelName(String group) {
        return "group." + group;
    }

    // ---- the cluster ----------------------------------------------------------------------------

    /**
     * The states this directory gives a cluster node: a copy of a group per name (the directory's
     * own Raft group holds nothing: every group lives in its shard).
     */
    public ReplicatedState.Factory replicatedStates() {
        return new ReplicatedState.Factory() {
            @Override
            public ReplicatedState createDirectory() {
                return new ReplicatedState() {
                    public byte[] apply(long index, byte[] command) {
                        return null;
                    }

                    public void writeSnapshot(java.io.OutputStream out) {
                    }

                    public void readSnapshot(java.io.InputStream in) {
                    }
                };
            }

            @Override
            public ReplicatedState create(String stateName) {
                return replicas.computeIfAbsent(stateName, n -> new ReplicatedGroup(n, GroupDirectory.this::core,
                        GroupDirectory.this::hosting, HISTORY_EVENTS, HISTORY_OCTETS));
            }
        };
    }

    /**
     * Reads this server's copy of group {@code name} in a cluster, between two of its commands;
     * null if this server is on its own or holds no copy of the group.
     */
    public <T> T readReplica(String name, java.util.function.Function<org.troupe.server.groups.GroupCore, T> query) {
        ReplicatedGroup g = replicas.get(name);
        if (node == null || g == null || !g.exists()) {
            return null;
        }
        try {
            return g.read(query);
        } catch (org.troupe.server.groups.CommandLog.Unavailable e) {
            return null; // destroyed meanwhile
        }
    }

    /**
     * Waits until this server's copy of group {@code name} holds every command committed before
     * its leader's term (see {@link ClusterNode#awaitCaughtUp}); at once on a server on its own.
     *
     * @throws java.util.concurrent.TimeoutException not within {@code timeoutMillis}
     * @throws java.io.IOException the cluster could not tell
     */
    public void awaitCaughtUp(String name, long timeoutMillis)
            throws java.util.concurrent.TimeoutException, java.io.IOException, InterruptedException {
        ClusterNode n = node;
        if (n != null) {
            n.awaitCaughtUp(name, java.time.Duration.ofMillis(timeoutMillis));
        }
    }

    /**
     * Records, through the cluster, that the client of hosted member {@code member} of group
     * {@code name} was given everything up to sequence id {@code sequenceId}; waits at most
     * {@code timeoutMillis}. False if this server is on its own, does not know the group, or the
     * group refused (the member is out).
     *
     * @throws Exception the cluster did not answer in time, or failed
     */
    public boolean recordDelivered(String name, long member, String token, long sequenceId, long timeoutMillis)
            throws Exception {
        ClusterNode n = node;
        if (n == null || !replicas.containsKey(name)) {
            return false;
        }
        byte[] answer = n.submit(name, org.troupe.server.groups.cluster.GroupWire.command(
                new org.troupe.server.groups.GroupCommand.Delivered(member, token, sequenceId, 0)))
                .get(timeoutMillis, TimeUnit.MILLISECONDS);
        return !org.troupe.server.groups.OutcomeCodec.decode(answer).refused();
    }

    /**
     * Submits a hosted member's command ({@code Delivered} or {@code Pusher}) to group {@code
     * name} through the cluster and waits at most {@code timeoutMillis}; false if this server is
     * on its own, does not know the group, or the group refused it.
     *
     * @throws Exception the cluster did not answer in time, or failed
     */
    public boolean submitHostedCommand(String name, org.troupe.server.groups.GroupCommand command,
            long timeoutMillis) throws Exception {
        ClusterNode n = node;
        if (n == null || !replicas.containsKey(name)) {
            return false;
        }
        byte[] answer = n.submit(name, org.troupe.server.groups.cluster.GroupWire.command(command))
                .get(timeoutMillis, TimeUnit.MILLISECONDS);
        return !org.troupe.server.groups.OutcomeCodec.decode(answer).refused();
    }

    /** The groups this server hosts now (in a cluster: leads). */
    public List<String> hostedHere() {
        return List.copyOf(groups.keySet());
    }

    /**
     * From now on, groups live in the cluster that {@code cluster} is part of.
     *
     * @param iiopAddresses each server's id to its {@code HOST:PORT} for IIOP (where calls are forwarded)
     */
    public void joinCluster(ClusterNode cluster, Map<String, String> iiopAddresses) {
        joinCluster(cluster, iiopAddresses, false);
    }

    /**
     * As {@link #joinCluster(ClusterNode, Map)}; with {@code tls} the servers speak IIOP over TLS
     * only, and calls are forwarded to {@code corbaloc:ssliop:} addresses.
     */
    public void joinCluster(ClusterNode cluster, Map<String, String> iiopAddresses, boolean tls) {
        this.peerAddresses = Map.copyOf(iiopAddresses);
        this.peersOverTls = tls;
        this.node = cluster;
    }

    /** The reference of the object {@code key} on the server at {@code address} (HOST:PORT). */
    private org.omg.CORBA.Object atPeer(String address, String key) {
        return orb.string_to_object(org.troupe.orb.ServerAddress.parse(address).withTls(peersOverTls).objectUrl(key));
    }

    private GroupCore core(String name, byte[] descriptor, int maxPayload) {
        GroupDescriptor d = DescriptorCodec.decode(orb, descriptor);
        return new GroupCore(name, org.troupe.wire.Descriptors.fromIdl(d), d.implied_order, maxPayload);
    }

    /** This server starts or stops hosting a group (on the group's apply thread: quick, never waits). */
    private void hosting(ReplicatedGroup group, boolean host) {
        String name = group.name();
        if (host) {
            GroupDescriptor d = DescriptorCodec.decode(orb, group.descriptor());
            ChannelDirectory.PrivateChannel channel = channels.createPrivate(channelName(name), groupChannelSettings(),
                    MESSAGES);
            GroupManagerServant manager = new GroupManagerServant(name, d, settings, orb, channel, (publisher, gate) -> {
                group.host(publisher::publish);
                return new ClusterCommandLog(() -> node, group, gate);
            }, System.nanoTime() + 2 * settings.suspectMillis() * 1_000_000L); // grace: members find the new leader
            manager.requireJoinKey(group.joinKeyHash());
            GroupManagerServant old = groups.put(name, manager);
            managers.register(name, manager, GroupManagerHelper.id());
            if (old != null) {
                close(old);
            }
            LOG.info("group {}: hosted here now ({} members)", name, manager.current_view().members.length);
        } else {
            group.host(null);
            GroupManagerServant old = groups.remove(name);
            managers.unregister(name);
            if (old != null) {
                close(old);
                LOG.info("group {}: no longer hosted here", name);
            }
        }
    }

    private void close(GroupManagerServant g) {
        g.disconnectAll();
        channels.destroyPrivate(g.channelName());
    }

    /**
     * Where a call on an object of POA {@code poa} goes: for a group this server does not host,
     * its leader's Group Manager; null: here.
     */
    public org.omg.CORBA.Object forwardTo(String poa, String name) {
        ClusterNode n = node;
        if (n == null || !"groups".equals(poa) || groups.containsKey(name)) {
            return null;
        }
        ReplicatedGroup g = replicas.get(name);
        if (g == null || !g.exists()) {
            String leader = leaderToAsk(n, name);
            return leader == null ? null : atPeer(peerAddresses.get(leader), org.troupe.orb.OrbFactory.IMPL_NAME
                    + "/groups/" + name);
        }
        String leader = n.statusOf(name).leader();
        String address = leader == null ? null : peerAddresses.get(leader);
        if (address == null || leader.equals(n.config().serverId())) {
            throw new org.omg.CORBA.TRANSIENT("Troupe: group " + name + " has no leader right now; retry");
        }
        return atPeer(address, org.troupe.orb.OrbFactory.IMPL_NAME + "/groups/" + name);
    }

    /**
     * For a name this server's copy does not know: the leader to ask instead (a follower may not
     * have applied yet a creation the leader has committed and answered: "no such group" would
     * then be wrong), or null when this server leads the shard and has applied all it committed,
     * so that its answer is final. TRANSIENT while no answer can be given (no leader known, or
     * this server still catching up with the shard's log after a start).
     */
    private String leaderToAsk(ClusterNode n, String name) {
        org.troupe.server.cluster.RaftGroupStatus shard = n.statusOf(name);
        String self = n.config().serverId();
        if (shard.leader() != null && !shard.leader().equals(self) && peerAddresses.containsKey(shard.leader())) {
            return shard.leader();
        }
        if (catchingUp(shard, self)) {
            throw new org.omg.CORBA.TRANSIENT("Troupe: this server is catching up with group " + name
                    + "'s log; retry");
        }
        return null;
    }

    /**
     * Whether this server may not know yet every group of a shard: no leader is known, it leads
     * but has not applied its predecessors' entries, or it has applied less than is committed.
     */
    static boolean catchingUp(org.troupe.server.cluster.RaftGroupStatus shard, String self) {
        return shard.leader() == null || (shard.leader().equals(self) && !shard.localLeader())
                || shard.appliedIndex() < shard.commitIndex();
    }

    // ---- the IDL ----------------------------------------------------------------------------------

    /** BAD_PARAM, naming the rule, unless {@code name} is a valid group name (see {@link org.troupe.protocol.Names}). */
    private static void requireGroupName(String operation, String name) {
        String refused = org.troupe.protocol.Names.groupRefusal(name);
        if (refused != null) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: " + operation + ": " + refused);
        }
    }

    @Override
    public GroupManager create_group(String name, GroupDescriptor d) throws GroupExists, InvalidDescriptor {
        return create(name, d, null);
    }

    @Override
    public GroupManager create_keyed_group(String name, GroupDescriptor d, String joinKey)
            throws GroupExists, InvalidDescriptor {
        String problem = org.troupe.server.security.JoinKeys.problem(joinKey);
        if (problem != null) {
            throw new InvalidDescriptor("group " + name + ": " + problem);
        }
        return create(name, d, org.troupe.server.security.JoinKeys.hash(joinKey));
    }

    /** Creates a group; {@code joinKeyHash}: the salted hash of its join key, or null for none. */
    private GroupManager create(String name, GroupDescriptor d, String joinKeyHash)
            throws GroupExists, InvalidDescriptor {
        String refused = org.troupe.protocol.Names.groupRefusal(name);
        if (refused != null) {
            throw new InvalidDescriptor(refused);
        }
        check(d);
        ClusterNode n = node;
        if (n != null) {
            if (!GroupWire.yes(await(n.submit(name, GroupWire.create(DescriptorCodec.encode(orb, d),
                    settings.maxPayload(), joinKeyHash)), n, "create group " + name))) {
                throw new GroupExists(name);
            }
        } else {
            synchronized (this) {
                if (groups.containsKey(name)) {
                    throw new GroupExists(name);
                }
                ChannelDirectory.PrivateChannel channel = channels.createPrivate(channelName(name),
                        groupChannelSettings(), MESSAGES);
                GroupManagerServant manager = new GroupManagerServant(name, d, settings, orb, channel,
                        GroupManagerServant.local(name, org.troupe.wire.Descriptors.fromIdl(d), d, settings),
                        System.nanoTime());
                manager.requireJoinKey(joinKeyHash);
                groups.put(name, manager);
                managers.register(name, manager, GroupManagerHelper.id());
            }
        }
        LOG.info("group {} created (protocol {}: {} roles, {} message types, {} patterns{}{})", name, d.protocol,
                d.roles.length, d.message_types.length, d.patterns.length, d.implied_order ? "" : ", all sequenced",
                joinKeyHash == null ? "" : ", join key required");
        return GroupManagerHelper.unchecked_narrow(managers.reference(name, GroupManagerHelper.id()));
    }

    private static byte[] await(java.util.concurrent.CompletableFuture<byte[]> f, ClusterNode n, String what) {
        try {
            return f.get(n.config().submitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.omg.CORBA.TRANSIENT("Troupe: server shutting down");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new org.omg.CORBA.TRANSIENT("Troupe: " + what + ": the cluster did not answer in time; retry ("
                    + e + ")");
        }
    }

    /**
     * A group's channel: the server's channel settings, but a lost event would break the group's
     * guarantees, so a member that falls a whole queue behind is disconnected (and so leaves the
     * view), never skipped; and senders are held back at a lower watermark, which bounds the
     * latency a busy group adds. Its queues and watermark count Messages, not events
     * ({@link #MESSAGES}).
     */
    private org.troupe.server.events.ChannelSettings groupChannelSettings() {
        org.troupe.server.events.ChannelSettings s = channels.settings();
        // a queue holds at least two of the largest send calls (one call is one event)
        int capacity = Math.max(s.queueCapacity(), 2 * org.troupe.server.events.ChannelSettings.MAX_BATCH);
        return new org.troupe.server.events.ChannelSettings(capacity, org.troupe.server.events.QueuePolicy.DISCONNECT,
                Math.min(s.flowWatermark(), GroupSettings.FLOW_WATERMARK), s.stallMillis(), s.flowTimeoutMillis(),
                s.batchMax(), s.pullIntervalMaxMillis(), s.replyTimeoutMillis(), s.proxyConnectTimeoutMillis(),
                s.maxUnconnectedProxies(), s.pullWaitMillis(), s.maxWaitingPulls(), s.maxConsumers());
    }

    /**
     * The weight of a group channel's events: the Messages they carry. A MessageList weighs its
     * length; a Message, a SequenceMessageList (the order of one send call: small, one per call)
     * or an UpdateView weighs 1. Measured at 4 members: 4-16% more msgs/s than also weighing a
     * SequenceMessageList by its length, at the same watermark.
     */
    static final org.troupe.server.events.EventWeight MESSAGES = event -> event instanceof org.troupe.cdr.FastAny f
            && f.struct() instanceof org.troupe.idl.Groups.Message[] list ? Math.max(1, list.length) : 1;

    /** Checks a descriptor: roles and types named, unique, min <= max. */
    static void check(GroupDescriptor d) throws InvalidDescriptor {
        if (d == null || d.roles.length == 0) {
            throw new InvalidDescriptor("a group needs at least one role");
        }
        if (d.message_types.length == 0) {
            throw new InvalidDescriptor("a group needs at least one message type");
        }
        if (!d.protocol.isEmpty()) { // informative, but shown in logs and listings
            String refused = org.troupe.protocol.Names.refusal(org.troupe.protocol.Names.Text.PROTOCOL, d.protocol);
            if (refused != null) {
                throw new InvalidDescriptor(refused);
            }
        }
        Set<String> seen = new HashSet<>();
        for (RoleSpec r : d.roles) {
            String refused = org.troupe.protocol.Names.refusal(org.troupe.protocol.Names.Text.ROLE, r.name);
            if (refused != null) {
                throw new InvalidDescriptor(refused);
            }
            if (!seen.add(r.name)) {
                throw new InvalidDescriptor("role '" + r.name + "' is declared twice");
            }
            if (r.max != UNBOUNDED.value && Integer.compareUnsigned(r.min, r.max) > 0) {
                throw new InvalidDescriptor("role '" + r.name + "': min " + Integer.toUnsignedString(r.min)
                        + " > max " + Integer.toUnsignedString(r.max));
            }
            if (r.max == 0) {
                throw new InvalidDescriptor("role '" + r.name + "': max 0 admits nobody");
            }
        }
        Set<String> types = new HashSet<>();
        for (String t : d.message_types) {
            String refused = org.troupe.protocol.Names.refusal(org.troupe.protocol.Names.Text.MESSAGE_TYPE, t);
            if (refused != null) {
                throw new InvalidDescriptor(refused);
            }
            if (!types.add(t)) {
                throw new InvalidDescriptor("message type '" + t + "' is declared twice");
            }
        }
        try {
            org.troupe.wire.Descriptors.fromIdl(d); // the patterns: consistent with the roles and types
        } catch (IllegalArgumentException e) {
            throw new InvalidDescriptor(e.getMessage());
        }
    }

    @Override
    public GroupManager find_group(String name) throws UnknownGroup {
        requireGroupName("find_group", name);
        if (name == null || !(node != null ? replicas.containsKey(name) && replicas.get(name).exists()
                : groups.containsKey(name))) {
            ClusterNode n = node;
            String leader = n == null || name == null ? null : leaderToAsk(n, name);
            if (leader != null) { // the leader's answer is final
                return org.troupe.idl.Groups.GroupsAdministratorHelper.unchecked_narrow(atPeer(peerAddresses.get(leader),
                        org.troupe.orb.OrbFactory.GROUPS_KEY))
                        .find_group(name);
            }
            throw new UnknownGroup(String.valueOf(name));
        }
        return GroupManagerHelper.unchecked_narrow(managers.reference(name, GroupManagerHelper.id()));
    }

    @Override
    public GroupInfo[] list_groups() {
        List<GroupInfo> out = new ArrayList<>();
        ClusterNode n = node;
        if (n == null) {
            for (GroupManagerServant g : groups.values()) {
                out.add(g.info());
            }
            return out.toArray(new GroupInfo[0]);
        }
        for (ReplicatedGroup g : replicas.values()) {
            GroupManagerServant hosted = groups.get(g.name());
            try {
                var status = n.statusOf(g.name());
                String leader = status.leader() == null ? "" : status.leader();
                GroupInfo info = hosted != null ? hosted.info() : g.exists() ? infoOf(g) : null;
                if (info != null) {
                    info.leader = leader;
                    info.term = status.term();
                    out.add(info);
                }
            } catch (org.troupe.server.groups.CommandLog.Unavailable e) {
                // destroyed meanwhile
            }
        }
        return out.toArray(new GroupInfo[0]);
    }

    /**
     * Every group as an operator sees it now: on one server the groups it holds; in a cluster this
     * server's copy of every group, with its shard's leader and term. Reads each core once; for
     * metrics and the operations endpoint, never on a message's path.
     */
    public List<org.troupe.server.groups.GroupStatus> status() {
        List<org.troupe.server.groups.GroupStatus> out = new ArrayList<>();
        ClusterNode n = node;
        if (n == null) {
            for (GroupManagerServant g : groups.values()) {
                out.add(g.status());
            }
            return out;
        }
        for (ReplicatedGroup g : replicas.values()) {
            try {
                if (!g.exists()) {
                    continue;
                }
                var raft = n.statusOf(g.name());
                String leader = raft.leader() == null ? "" : raft.leader();
                org.troupe.server.groups.GroupStatus s = g.read(core -> org.troupe.server.groups.GroupStatus.of(core,
                        leader, raft.term()));
                GroupManagerServant hosted = groups.get(g.name());
                out.add(hosted == null ? s : s.withHealth(hosted.health()));
            } catch (org.troupe.server.groups.CommandLog.Unavailable e) {
                // destroyed meanwhile
            }
        }
        return out;
    }

    /** A group this server holds a copy of but does not host. */
    private GroupInfo infoOf(ReplicatedGroup g) {
        GroupDescriptor d = DescriptorCodec.decode(orb, g.descriptor());
        return g.read(core -> new GroupInfo(g.name(), d, org.troupe.wire.CoreIdl.view(core.view()),
                core.messagesSequenced(), core.viewsInstalled(), "", 0));
    }

    @Override
    public void destroy_group(String name) throws UnknownGroup {
        requireGroupName("destroy_group", name);
        ClusterNode n = node;
        if (n != null) {
            if (name == null || !GroupWire.yes(await(n.submit(name, GroupWire.destroy()), n,
                    "destroy group " + name))) {
                throw new UnknownGroup(String.valueOf(name));
            }
        } else {
            GroupManagerServant g;
            synchronized (this) {
                g = name == null ? null : groups.remove(name);
                if (g == null) {
                    throw new UnknownGroup(String.valueOf(name));
                }
                managers.unregister(name);
            }
            close(g);
        }
        LOG.info("group {} destroyed", name);
    }

    private void reap() {
        boolean paused = pauses.awake(System.nanoTime());
        if (paused && !groups.isEmpty()) {
            LOG.warn("this server did not run for a while (stopped, or a long pause): every member of the {} groups"
                    + " it hosts gets a fresh suspect time", groups.size());
        }
        for (GroupManagerServant g : groups.values()) {
            try {
                if (paused) {
                    g.excusePause();
                }
                g.expire();
                removeIfEmptyTooLong(g);
            } catch (Throwable e) { // a scheduled task that throws never runs again: every group would stop reaping
                LOG.error("group {}: reaper failed; it goes on", g.group_name(), e);
            }
        }
        pauses.asleep(System.nanoTime());
    }

    /** Removes a hosted group that has had no member for the empty-group time-out (the reaper's thread). */
    private void removeIfEmptyTooLong(GroupManagerServant g) {
        long timeout = emptyTimeoutNanos;
        if (timeout <= 0 || g.removalAsked || g.emptyFor(System.nanoTime()) < timeout) {
            return;
        }
        String name = g.group_name();
        String why = "no member for " + java.time.Duration.ofNanos(timeout).toString().substring(2).toLowerCase()
                + " (--empty-group-timeout)";
        ClusterNode n = node;
        if (n == null) {
            try {
                destroy_group(name);
                LOG.info("group {} removed: {}", name, why);
            } catch (UnknownGroup gone) {
                // destroyed meanwhile
            }
            return;
        }
        g.removalAsked = true; // once: the reaper does not wait for the cluster
        n.submit(name, GroupWire.destroyIfEmpty()).whenComplete((r, e) -> {
            if (e != null) {
                g.removalAsked = false; // asked again at a later round
                LOG.warn("group {}: removing it as empty failed; tried again later: {}", name, e.toString());
            } else if (GroupWire.yes(r)) {
                LOG.info("group {} removed: {}", name, why);
            } else {
                g.removalAsked = false; // a member joined before the removal was applied: the group stays
            }
        });
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        // Members whose channel closes next ask why: told "stopping", not "removed" or "too slow".
        managers.stopping("Troupe: the server is stopping");
    }
}
