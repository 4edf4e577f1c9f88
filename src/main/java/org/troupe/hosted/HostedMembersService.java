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
 *                                   |   pump thread: Group.receive ------------+  own Group   |
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
        this(serverAddress, settings, objects, org.troupe.server.ServerLimits.DEFAULT_MAX_HOSTED_MEMBERS,
                org.troupe.server.ServerLimits.DEFAULT_MAX_HOSTED_PER_CLIENT);
    }

    /**
     * @param maxMembers hosted members on this server at once, at most
     * @param maxPerClient hosted members one client holds at once, at most (see {@link HostedLimits})
     */
    public HostedMembersService(String serverAddress, GroupSettings settings, ServantRegistry objects,
            int maxMembers, int maxPerClient) {
        this.limits = new HostedLimits(maxMembers, maxPerClient);
        this.serverAddress = serverAddress;
        this.settings = settings;
        this.objects = objects;
        reaper.scheduleWithFixedDelay(org.troupe.server.Guarded.task("the hosted members' reaper", LOG, this::reap),
                GroupSettings.REAPER_PERIOD_MS, GroupSettings.REAPER_PERIOD_MS, TimeUnit.MILLISECONDS);
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
            connection = Troupe.connect(serverAddress);
        }
        return connection;
    }

    @Override
    public HostedMember host_member(String group, String role, String name, MemberCallback callback)
            throws UnknownGroup, JoinRefused {
        String client = HostedLimits.clientOf(callback);
        limits.admit(client, members);
        Hosted hosted = null;
        try {
            hosted = hostMember(group, role, name, callback);
            return hosted.ref();
        } finally {
            limits.settle(client, hosted == null ? null : hosted.key());
        }
    }

    /** A member just hosted: its object key and reference. */
    private record Hosted(String key, HostedMember ref) {
    }

    private Hosted hostMember(String group, String role, String name, MemberCallback callback)
            throws UnknownGroup, JoinRefused {
        Group g;
        try {
            g = connection().join(group, role, name);
        } catch (TroupeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unknown group")) {
                throw new UnknownGroup(group);
            }
            throw new JoinRefused(e.getMessage());
        }
        MemberCallback cb = callback == null ? null : withTimeout(callback);
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        String key = "member." + HexFormat.of().formatHex(secret);
        HostedMemberServant servant = new HostedMemberServant(key, g, cb, settings.heartbeatMillis(),
                settings.suspectMillis());
        members.put(key, servant);
        HostedMember ref = HostedMemberHelper.unchecked_narrow(objects.register(key, servant, HostedMemberHelper.id()));
        servant.start();
        LOG.info("{} hosted ({} delivery)", servant.label(), cb == null ? "pull" : "push");
        return new Hosted(key, ref);
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
