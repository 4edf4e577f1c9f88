package org.troupe.hosted;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.omg.CORBA.Policy;
import org.omg.CORBA.SetOverrideType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.server.events.corba.ServantRegistry;
import org.troupe.server.groups.GroupSettings;
import org.troupe.idl.Groups.UnknownGroup;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.HostedMemberHelper;
import org.troupe.idl.Hosted.HostedMembersPOA;
import org.troupe.idl.Hosted.JoinRefused;
import org.troupe.idl.Hosted.MemberCallback;
import org.troupe.idl.Hosted.MemberCallbackHelper;
import org.troupe.member.Group;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;

/**
 * Server-hosted members ("proxy members"): the servant of {@code
 * Troupe::Hosted::HostedMembers} at {@code corbaloc:iiop:HOST:PORT/TroupeHosted}. An IDL client
 * with no Troupe library calls {@code host_member}; the server joins the group for it with the
 * Java member library — one shared {@link Troupe} connection (its own ORB, over IIOP to this
 * server's own address) for every hosted member — and hands back a {@code HostedMember} whose
 * object key holds 128 random bits. The guarantees are those of the Java stack, implemented
 * once.
 *
 * <pre>
 *   IDL client (C++)                server JVM
 *                                   +--------------------------------------------------------+
 *   host_member(g, role, name, cb) -> HostedMembersService --Troupe.join--> Group (Java stack) |
 *   &lt;- HostedMember (random key)    |                                        |  ^            |
 *   send/ask/reply/turn ----------> HostedMemberServant -- Group.send ------+  |  IIOP to     |
 *                                   |                                           |  the server's|
 *                                   |   inline listener (request thread) &lt;----+  own Group   |
 *                                   |        | (order, filtering, correlation,     Managers   |
 *                                   |        v  QueryDone after its response)                 |
 *   receive(max, ms) &lt;------------- |   Outbox (bounded, 10000) --+                           |
 *   MemberCallback.deliver &lt;------- |   CallbackPusher (push) &lt;---+  one call at a time       |
 *                                   |   reaper (250 ms): silent pull clients, dead callbacks  |
 *                                   |      -> remove: the stack leaves on the client's behalf |
 *                                   +--------------------------------------------------------+
 * </pre>
 *
 * <p>Liveness: a pull client silent (no call) for longer than the groups' suspect time is
 * removed by the reaper; a push client is removed when a callback call raises or does not
 * return within the suspect time (a per-reference RelativeRoundtripTimeoutPolicy). Either way the
 * other members see a view without it (as LEFT: the server's stack leaves for it).
 *
 * <p>In a cluster a pull member outlives its server: its object id is a {@link HostedKey}, the
 * same on every server, under a PERSISTENT POA of the same name, and its reference names every
 * server. Its client's position (the highest sequence id it has taken, {@code ClientPosition}) is
 * recorded in the group's replicated state. When the server dies, the client's next call reaches
 * another server, whose servant locator finds no servant and takes the member over: it checks
 * the key against the token in its copy of the group, resumes the member's stack after the
 * recorded position (the same member, no view change) and serves the call.
 *
 * <p>A push member outlives its server too, without waiting for its client to call (it may
 * never call): its callback's IOR is in the group's replicated state with the claim of the one
 * server that calls it, which holds a lease it renews through the cluster while recording what
 * the callback acknowledged ({@link PushLease}). The leader of the member's group watches the
 * group's push members: one whose record stops changing for longer than the lease (its server
 * died, or was cut off or stopped) is claimed by the leader, on the condition that the record is
 * still as it saw it; the leader then resumes the member after the recorded position and pushes
 * to the same callback. The client's calls on the member (send, ...) reach any server: one that
 * does not push for it forwards them (LOCATION_FORWARD) to the one that does.
 */
public final class HostedMembersService extends HostedMembersPOA implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostedMembersService.class);
    /** How long an out member's object stays (for its client to read the CLOSED delivery). */
    static final long LINGER_MILLIS = 60_000;

    private final String serverAddress;
    private final GroupSettings settings;
    private final ServantRegistry objects;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, HostedMemberServant> members = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "troupe-hosted-reaper");
        t.setDaemon(true);
        return t;
    });
    private final HostedRecords records;
    /** Records pull clients' positions in the cluster (bounded: a refused recording is covered by a later one). */
    private final java.util.concurrent.ThreadPoolExecutor positions = new java.util.concurrent.ThreadPoolExecutor(2, 2,
            30, TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(4096), r -> {
                Thread t = new Thread(r, "troupe-hosted-positions");
                t.setDaemon(true);
                return t;
            });
    private final Object takingOver = new Object();
    /** Watches the push members of the groups this server leads, and takes over those whose server is gone. */
    private final ScheduledExecutorService pushWatcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "troupe-hosted-push-watcher");
        t.setDaemon(true);
        return t;
    });
    /** Per push member not pushed from here: the version of its record last seen, and since when (nanoTime). */
    private final Map<String, long[]> watched = new java.util.HashMap<>();
    /** How often the push members' records are looked at. */
    static final long PUSH_WATCH_PERIOD_MS = 50;
    private final HostedLimits limits;
    private Troupe connection;
    private volatile org.troupe.idl.Hosted.HostedMembers self;
    private volatile boolean closed;

    /**
     * @param serverAddress the server's own {@code HOST:PORT}: the hosted members join there
     * @param settings the groups' heartbeat and suspect time (also the hosted clients')
     * @param objects the servant registry of the POA that hosts the HostedMember objects
     */
    public HostedMembersService(String serverAddress, GroupSettings settings, ServantRegistry objects) {
        this(serverAddress, settings, objects, HostedRecords.NONE,
                org.troupe.server.ServerLimits.DEFAULT_MAX_HOSTED_MEMBERS,
                org.troupe.server.ServerLimits.DEFAULT_MAX_HOSTED_PER_CLIENT);
    }

    /**
     * In a cluster: a member's object id names its group and member id with a proof made from
     * its join token ({@link HostedKey}), the same on every server, and a call for a member this
     * server does not host (its own server died) takes it over (see takeOver).
     *
     * @param records this server's copy of the groups' members
     * @param maxMembers hosted members on this server at once, at most
     * @param maxPerClient hosted members one client holds at once, at most (see {@link HostedLimits})
     */
    public HostedMembersService(String serverAddress, GroupSettings settings, ServantRegistry objects,
            HostedRecords records, int maxMembers, int maxPerClient) {
        this.limits = new HostedLimits(maxMembers, maxPerClient);
        this.serverAddress = serverAddress;
        this.settings = settings;
        this.objects = objects;
        this.records = records;
        if (records != HostedRecords.NONE) {
            objects.onMissing(this::takeOver);
            pushWatcher.scheduleWithFixedDelay(org.troupe.server.Guarded.task("the hosted push members' watcher", LOG,
                    this::watchPushMembers), PUSH_WATCH_PERIOD_MS, PUSH_WATCH_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        reaper.scheduleWithFixedDelay(org.troupe.server.Guarded.task("the hosted members' reaper", LOG, this::reap),
                GroupSettings.REAPER_PERIOD_MS, GroupSettings.REAPER_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Over TLS, how the hosted members reach their server (null: plain IIOP). */
    private volatile org.troupe.orb.TlsConfig tls;

    /** The hosted members join their server over TLS with this configuration (a TLS-only server's own). */
    public void useTls(org.troupe.orb.TlsConfig config) {
        this.tls = config;
    }

    /** This factory's own reference (a full IOR), once the server has activated it. */
    public void attach(org.troupe.idl.Hosted.HostedMembers reference) {
        this.self = reference;
    }

    @Override
    public org.troupe.idl.Hosted.HostedMembers reference() {
        return self;
    }

    private synchronized Troupe connection() throws TroupeException {
        if (closed) {
            throw new TroupeException("the server is stopping");
        }
        if (connection == null) {
            // every hosted member shares it: one member's full outbox must not hold up the others' reads
            connection = Troupe.connect(serverAddress, tls).inlineOffReaders();
        }
        return connection;
    }

    @Override
    public HostedMember host_member(String group, String role, String name, MemberCallback callback)
            throws UnknownGroup, JoinRefused {
        return host(group, role, name, callback, null);
    }

    @Override
    public HostedMember host_member_with_key(String group, String role, String name, MemberCallback callback,
            String joinKey) throws UnknownGroup, JoinRefused {
        return host(group, role, name, callback, joinKey == null ? "" : joinKey);
    }

    private HostedMember host(String group, String role, String name, MemberCallback callback, String joinKey)
            throws UnknownGroup, JoinRefused {
        String client = HostedLimits.clientOf(callback);
        limits.admit(client, members);
        Hosted hosted = null;
        try {
            hosted = hostMember(group, role, name, callback, joinKey);
            return hosted.ref();
        } finally {
            limits.settle(client, hosted == null ? null : hosted.key());
        }
    }

    /** A member just hosted: its object key and reference. */
    private record Hosted(String key, HostedMember ref) {
    }

    private Hosted hostMember(String group, String role, String name, MemberCallback callback, String joinKey)
            throws UnknownGroup, JoinRefused {
        Group g;
        ServantListener listener = new ServantListener();
        try {
            org.troupe.member.JoinOptions options = org.troupe.member.JoinOptions.defaults().listenerInline(listener);
            g = connection().join(group, role, name, joinKey == null ? options : options.joinKey(joinKey));
        } catch (TroupeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unknown group")) {
                throw new UnknownGroup(group);
            }
            throw new JoinRefused(e.getMessage());
        }
        MemberCallback cb = callback == null ? null : withTimeout(callback);
        // in a cluster a member can be taken over by another server: a pull member once its client
        // calls there, a push member once this server's claim on its callback lapses
        HostedRecords.Record record = recordOf(group, g.me().id());
        PushLease lease = null;
        if (record != null && cb != null) {
            lease = claim(group, g.me().id(), record, _orb().object_to_string(callback), -1, -1);
            if (lease == null) {
                record = null; // not claimed: this server pushes to it, alone, and it ends with this server
            }
        }
        String key;
        ClientPosition position = null;
        if (record == null) {
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            key = "member." + HexFormat.of().formatHex(secret);
        } else {
            key = HostedKey.of(group, g.me().id(), record.token()).id();
            position = cb == null ? positionOf(group, g.me().id(), record.token()) : null;
        }
        HostedMemberServant servant = new HostedMemberServant(key, g, cb, settings.heartbeatMillis(),
                settings.suspectMillis(), position, false, lease);
        whenTakenOver(servant);
        members.put(key, servant);
        HostedMember ref = HostedMemberHelper.unchecked_narrow(objects.register(key, servant, HostedMemberHelper.id()));
        servant.start(listener);
        LOG.info("{} hosted ({} delivery)", servant.label(), cb == null ? "pull" : "push");
        return new Hosted(key, ref);
    }

    /**
     * A member this server just joined, as its copy of the group has it (in a cluster, once the
     * copy has applied the join, which it does within milliseconds: waited for up to the suspect
     * time); null on a server on its own, or if the copy does not show it in time: the member
     * then gets an object id of 128 random bits and ends with this server.
     */
    private HostedRecords.Record recordOf(String group, long member) {
        if (records == HostedRecords.NONE) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.suspectMillis());
        while (true) {
            HostedRecords.Record r = records.find(group, member);
            if (r != null) {
                return r;
            }
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("group {}: member {} is not in this server's copy of the group yet: hosted with a key "
                        + "that other servers cannot take over", group, member);
                return null;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** A pull client's position, recorded in the cluster (see {@link ClientPosition}). */
    private ClientPosition positionOf(String group, long member, String token) {
        return new ClientPosition("group " + group + ": hosted member " + member,
                seq -> records.recordDelivered(group, member, token, seq), positions);
    }

    /**
     * A call came for a hosted member this server does not host: if its id is a {@link HostedKey}
     * proven by the member's token in this server's copy of the group, and the member is still
     * in the group, this server takes it over: a member stack that resumes it (same member, no
     * view change) and a servant for its calls. Null if there is no such member (the caller gets
     * OBJECT_NOT_EXIST); a servant that raises TRANSIENT if the group cannot take it now (no
     * leader yet). Runs on the call's thread; one take-over at a time.
     */
    private org.omg.PortableServer.Servant takeOver(String id) {
        HostedKey key;
        try {
            key = HostedKey.parse(id);
        } catch (IllegalArgumentException e) {
            return null; // a random key of a member that ended with this server, or nonsense
        }
        synchronized (takingOver) {
            HostedMemberServant present = members.get(id);
            if (present != null) {
                return present; // taken over by a call just before this one
            }
            if (closed) {
                return null;
            }
            try {
                records.awaitCaughtUp(key.group());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (Exception e) {
                // the take-over goes on from this copy as it is: the member's next message id may
                // then be one the group already took, and that message be dropped as a repeat
                LOG.warn("{}: taken over from a copy of its group that may be behind its leader ({})", key,
                        e.getMessage() == null ? e.toString() : e.getMessage());
            }
            HostedRecords.Record r = records.find(key.group(), key.member());
            if (r == null || !key.provenBy(r.token())) {
                LOG.info("{}: no such member here to take over", key);
                return null;
            }
            if (r.isPush()) {
                // a push member is taken over by its group's leader, without a call (watchPushMembers);
                // its calls are forwarded to the server that pushes to it (forwardTo)
                return ServantRegistry.refusing(() -> new org.omg.CORBA.TRANSIENT(
                        "Troupe: the server that calls this hosted member's callback is being replaced; retry"));
            }
            long delivered = r.deliveredTo();
            if (delivered < 0) {
                delivered = r.lastSequenceId();
                LOG.warn("{}: no position of its client recorded: it goes on from sequence id {}, the last this "
                        + "server applied", key, delivered);
            }
            Group g;
            ServantListener listener = new ServantListener();
            try {
                g = resume(key, r, delivered, listener);
            } catch (TroupeException e) {
                LOG.warn("{}: cannot take it over: {}", key, e.getMessage());
                if (e.getCause() instanceof org.omg.CORBA.SystemException
                        && !(e.getCause() instanceof org.omg.CORBA.BAD_PARAM)) {
                    // the group has no leader yet, or it does not answer: the client calls again
                    return ServantRegistry.refusing(() -> new org.omg.CORBA.TRANSIENT(
                            "Troupe: this server cannot take the hosted member over yet; retry"));
                }
                return null; // removed from the group, or too far behind: gone
            }
            HostedMemberServant servant = new HostedMemberServant(id, g, null, settings.heartbeatMillis(),
                    settings.suspectMillis(), positionOf(key.group(), key.member(), r.token()), true);
            members.put(id, servant);
            objects.register(id, servant, HostedMemberHelper.id());
            servant.start(listener);
            LOG.info("{} taken over from its server, which is gone: delivers after sequence id {}", servant.label(),
                    delivered);
            return servant;
        }
    }

    /** A fresh claim id: this server's id, '/', 64 random bits. */
    private String newPusher() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return records.serverId() + "/" + HexFormat.of().formatHex(b);
    }

    /** The server id of claim {@code pusher}. */
    static String serverOf(String pusher) {
        int slash = pusher.lastIndexOf('/');
        return slash < 0 ? pusher : pusher.substring(0, slash);
    }

    /**
     * Claims push member {@code member}'s callback for this server (see {@link
     * HostedRecords#claimPusher}); the lease it holds, or null if the group refused or did not
     * answer.
     *
     * @param position what the callback had acknowledged when claimed (-1: nothing)
     */
    private PushLease claim(String group, long member, HostedRecords.Record r, String callback, long expectedVersion,
            long position) {
        String pusher = newPusher();
        long at = System.nanoTime();
        try {
            if (!records.claimPusher(group, member, r.token(), callback, pusher, expectedVersion)) {
                LOG.info("group {}: hosted member {}: claim of its callback refused (renewed or claimed meanwhile, "
                        + "or out)", group, member);
                return null;
            }
        } catch (Exception e) {
            LOG.warn("group {}: hosted member {}: cannot claim its callback: {}", group, member, e.toString());
            return null;
        }
        String token = r.token();
        return new PushLease("group " + group + ": hosted member " + member, pusher,
                PushLease.leaseMillis(settings.suspectMillis()), at, position,
                (claim, seq) -> renew(group, member, token, claim, seq), positions);
    }

    /** A push lease's renewal: recorded, refused because another server claimed the member, or the member is out. */
    private PushLease.Renewal renew(String group, long member, String token, String pusher, long position)
            throws Exception {
        if (records.recordPushed(group, member, token, position, pusher)) {
            return PushLease.Renewal.ACCEPTED;
        }
        HostedRecords.Record r = records.find(group, member);
        if (r == null) {
            return PushLease.Renewal.OUT;
        }
        if (!r.pusher().equals(pusher)) {
            return PushLease.Renewal.TAKEN;
        }
        throw new IllegalStateException("refused while this server's copy still shows the claim (it lags): retried");
    }

    /** When another server takes {@code servant}'s member over, this server forgets it (its calls are forwarded). */
    private void whenTakenOver(HostedMemberServant servant) {
        servant.onTakenOver(() -> {
            members.remove(servant.key(), servant);
            objects.unregister(servant.key());
            limits.forget(servant.key());
        });
    }

    /**
     * Where a call on hosted member object {@code id} goes: null to serve it here; for a push
     * member whose callback another server calls, a reference to the same object on that server
     * (the client's call is forwarded there).
     */
    public org.omg.CORBA.Object forwardTo(String id) {
        if (records == HostedRecords.NONE || members.containsKey(id)) {
            return null;
        }
        HostedKey key;
        try {
            key = HostedKey.parse(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        HostedRecords.Record r = records.find(key.group(), key.member());
        if (r == null || !r.isPush() || !key.provenBy(r.token())) {
            return null;
        }
        String server = serverOf(r.pusher());
        String address = server.equals(records.serverId()) ? null : records.addressOf(server);
        if (address == null) {
            return null; // this server is to push to it (or was, before a restart): TRANSIENT until it does
        }
        org.omg.CORBA.Object here = objects.reference(id, HostedMemberHelper.id());
        byte[] objectKey = ((org.jacorb.orb.Delegate) ((org.omg.CORBA.portable.ObjectImpl) here)._get_delegate())
                .getObjectKey();
        return _orb().string_to_object(org.troupe.orb.ServerAddress.parse(address).withTls(tls != null)
                .objectUrl(escaped(objectKey)));
    }

    /** An object key as a corbaloc URL writes it: every octet but letters and digits as %XX. */
    static String escaped(byte[] objectKey) {
        StringBuilder b = new StringBuilder(objectKey.length * 3);
        for (byte x : objectKey) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return b.toString();
    }

    /**
     * Renews this server's own push leases; and the leader's watch over its groups' push members:
     * one that this server does not push to and whose record has not changed for longer than its
     * pusher's lease is claimed (only if still unchanged) and resumed here. Runs every {@link #PUSH_WATCH_PERIOD_MS} on its own thread.
     */
    private void watchPushMembers() {
        if (closed) {
            return;
        }
        for (HostedMemberServant m : members.values()) {
            m.tickLease(); // this server's own claims: renewed while it runs, idle or not
        }
        long after = TimeUnit.MILLISECONDS.toNanos(PushLease.takeOverAfterMillis(settings.suspectMillis()));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String group : records.ledGroups()) {
            for (long member : records.pushMembers(group)) {
                HostedRecords.Record r = records.find(group, member);
                if (r == null || !r.isPush()) {
                    continue;
                }
                String id = HostedKey.of(group, member, r.token()).id();
                seen.add(id);
                if (members.containsKey(id)) {
                    continue; // pushed from here
                }
                long now = System.nanoTime();
                long[] w = watched.get(id);
                if (w == null || w[0] != r.pushVersion()) {
                    watched.put(id, new long[] {r.pushVersion(), now});
                } else if (now - w[1] > after) {
                    LOG.info("group {}: hosted member {}'s callback has had no renewal from {} for {} ms: taking it "
                            + "over", group, member, r.pusher(), TimeUnit.NANOSECONDS.toMillis(now - w[1]));
                    watched.remove(id);
                    takeOverPush(group, member, id, r);
                }
            }
        }
        watched.keySet().retainAll(seen);
    }

    /** Claims push member {@code member} (only if its record is still as seen) and resumes it here. */
    private void takeOverPush(String group, long member, String id, HostedRecords.Record seen) {
        synchronized (takingOver) {
            if (closed || members.containsKey(id)) {
                return;
            }
            PushLease lease = claim(group, member, seen, seen.callback(), seen.pushVersion(), -1);
            if (lease == null) {
                return;
            }
            // this server's copy has applied every renewal before the claim once it shows the claim
            HostedRecords.Record r = awaitClaim(group, member, lease.pusher());
            if (r == null) {
                LOG.warn("group {}: hosted member {}: claimed, but this server's copy does not show it: retried later",
                        group, member);
                return;
            }
            long delivered = r.deliveredTo();
            if (delivered < 0) {
                delivered = r.lastSequenceId();
                LOG.warn("group {}: hosted member {}: no position of its callback recorded: it goes on from sequence "
                        + "id {}, the last this server applied", group, member, delivered);
            }
            HostedKey key = HostedKey.parse(id);
            Group g;
            ServantListener listener = new ServantListener();
            try {
                g = resume(key, r, delivered, listener);
            } catch (TroupeException e) {
                LOG.warn("{}: cannot take it over: {} (tried again while it is in the group)", key, e.getMessage());
                return;
            }
            lease.startAt(delivered);
            MemberCallback cb = withTimeout(MemberCallbackHelper.unchecked_narrow(_orb().string_to_object(
                    r.callback())));
            HostedMemberServant servant = new HostedMemberServant(id, g, cb, settings.heartbeatMillis(),
                    settings.suspectMillis(), null, true, lease);
            whenTakenOver(servant);
            members.put(id, servant);
            objects.register(id, servant, HostedMemberHelper.id());
            servant.start(listener);
            LOG.info("{} taken over from its server, which is gone: pushes to its callback after sequence id {}",
                    servant.label(), delivered);
        }
    }

    /**
     * Member {@code member} as this server's copy has it once it shows claim {@code pusher}; null
     * if it does not within the suspect time.
     */
    private HostedRecords.Record awaitClaim(String group, long member, String pusher) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.suspectMillis());
        while (true) {
            HostedRecords.Record r = records.find(group, member);
            if (r == null) {
                return null;
            }
            if (r.pusher().equals(pusher)) {
                return r;
            }
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /**
     * How far back before the resume position the group's events are replayed (see {@link
     * Troupe#resume}), tried in turn while the group no longer holds that much: a message
     * published before the position and ordered after it would be missed otherwise, and the
     * member would wait for it for ever.
     */
    static final long[] REPLAY_SEQUENCE_IDS = {256, 64, 16, 0};

    private Group resume(HostedKey key, HostedRecords.Record r, long delivered, ServantListener listener)
            throws TroupeException {
        org.troupe.member.model.MemberInfo me = new org.troupe.member.model.MemberInfo(key.member(), r.name(),
                r.role());
        TroupeException last = null;
        for (long back : REPLAY_SEQUENCE_IDS) {
            // an event history is searched from a sequence id of 1 on
            long replayFrom = Math.max(1, delivered - back);
            try {
                return connection().resume(key.group(), me, r.token(), Math.max(delivered, replayFrom), replayFrom,
                        r.nextMessageId(), org.troupe.member.JoinOptions.defaults().listenerInline(listener));
            } catch (TroupeException e) {
                if (!(e.getCause() instanceof org.omg.CORBA.BAD_PARAM)) {
                    throw e;
                }
                last = e; // not held that far back: less
            }
        }
        throw last;
    }

    /** The callback's reference, with calls that fail with TIMEOUT after the suspect time. */
    private MemberCallback withTimeout(MemberCallback callback) {
        long hundredNanos = settings.suspectMillis() * 10_000L;
        Policy p = new org.jacorb.orb.policies.RelativeRoundtripTimeoutPolicy(hundredNanos);
        return MemberCallbackHelper.unchecked_narrow(
                callback._set_policy_override(new Policy[] {p}, SetOverrideType.ADD_OVERRIDE));
    }

    /** Removes silent pull clients; disposes members that are out and done. */
    private void reap() {
        try {
            long now = System.nanoTime();
            long suspect = TimeUnit.MILLISECONDS.toNanos(settings.suspectMillis());
            long linger = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
            for (HostedMemberServant m : members.values()) {
                if (m.disposable(now, linger)) {
                    members.remove(m.key());
                    objects.unregister(m.key());
                    limits.forget(m.key());
                } else if (!m.isPush() && !m.isOut() && m.silentNanos(now) > suspect) {
                    m.remove("its client was silent (no receive or ping) for more than " + settings.suspectMillis()
                            + " ms");
                }
            }
        } catch (Throwable e) { // a scheduled task that throws never runs again
            LOG.error("hosted members: reaper failed; it goes on", e);
        }
    }

    /** How many hosted members this server has (in or out but not yet disposed). */
    public int size() {
        return members.size();
    }

    /** Every hosted member leaves its group; the shared connection closes. Idempotent. */
    @Override
    public void close() {
        Troupe c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = connection;
        }
        reaper.shutdownNow();
        pushWatcher.shutdownNow();
        positions.shutdownNow();
        for (HostedMemberServant m : List.copyOf(members.values())) {
            m.leaveNow("the server is stopping");
            objects.unregister(m.key());
        }
        members.clear();
        if (c != null) {
            c.close();
        }
    }
}
