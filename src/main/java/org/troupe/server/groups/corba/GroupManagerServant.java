package org.troupe.server.groups.corba;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CORBA.TRANSIENT;
import org.omg.CosEventComm.PushConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.server.events.EventChannelCore;
import org.troupe.server.events.corba.ChannelServant;
import org.troupe.idl.Groups.AlreadyMember;
import org.troupe.idl.Groups.BadMessage;
import org.troupe.idl.Groups.BadOrder;
import org.troupe.idl.Groups.ForgedSender;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.GroupManagerPOA;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.MessageTooLarge;
import org.troupe.idl.Groups.NotMember;
import org.troupe.idl.Groups.NotSequencer;
import org.troupe.idl.Groups.OutOfTurn;
import org.troupe.idl.Groups.ResponseRefused;
import org.troupe.idl.Groups.RoleFull;
import org.troupe.idl.Groups.TypeNotAllowed;
import org.troupe.idl.Groups.UnknownRole;
import org.troupe.server.groups.CommandLog;
import org.troupe.server.groups.FlowGate;
import org.troupe.server.groups.GroupCommand;
import org.troupe.server.groups.GroupCore;
import org.troupe.server.groups.GroupEvent;
import org.troupe.server.groups.GroupSettings;
import org.troupe.server.groups.Liveness;
import org.troupe.server.groups.LocalCommandLog;
import org.troupe.server.groups.MemberInfo;
import org.troupe.server.groups.Outcome;
import org.troupe.server.groups.Ref;
import org.troupe.server.groups.Refusal;
import org.troupe.server.groups.Ticket;
import org.troupe.wire.CoreIdl;

/**
 * One group's Group Manager: the IDL face of its {@link GroupCore}. It turns calls into commands
 * and outcomes into replies and IDL exceptions, publishes each outcome's events into the group's
 * channel (encoded once, filtered per member by its {@link MemberAudience}), connects each
 * member's consumer and hands out its own view of the channel, and feeds the group's
 * {@link Liveness} (heartbeats, the channel's cut-offs) whose decisions the reaper applies.
 */
final class GroupManagerServant extends GroupManagerPOA {
    private static final Logger LOG = LoggerFactory.getLogger(GroupManagerServant.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final GroupDescriptor descriptor;
    private final org.troupe.protocol.ApplicationProtocol protocol;
    private final GroupSettings settings;
    private final String channelName;
    private final ChannelServant channelServant;
    private final EventChannelCore channelCore;
    private final GroupEventEncoder encoder;
    private final Liveness liveness;
    private final CommandLog log;
    private final LongSupplier clock = System::nanoTime;
    private final MemberLinks links;
    /** Since when the view has been empty, on this server's clock (read by the reaper thread only). */
    private long emptySince;
    private boolean empty;
    /** True once this server asked the cluster to remove the group as empty (the reaper thread only). */
    boolean removalAsked;
    private final JoinReplays replays;
    /** Request ids of joins between their check and their command (a concurrent retry waits for them). */
    private final Set<String> joinsInProgress = ConcurrentHashMap.newKeySet();
    /** The salted hash of the group's join key (null: anyone may join). */
    private volatile String joinKeyHash;

    /** Makes the servant's command log, given what publishes its events and what gates its senders. */
    @FunctionalInterface
    interface LogFactory {
        CommandLog create(CommandLog.Publisher publisher, FlowGate gate);
    }

    /** A group on one server: its core under a lock, here. */
    static LogFactory local(String name, org.troupe.protocol.ApplicationProtocol protocol, GroupDescriptor descriptor,
            GroupSettings settings) {
        return (publisher, gate) -> new LocalCommandLog(new GroupCore(name, protocol, descriptor.implied_order,
                settings.maxPayload()), publisher, gate);
    }

    /**
     * @param startNanos members already in the group (a cluster's new leader takes the group over)
     *     count as heard at this time: give them a suspect time of grace to find this server
     */
    GroupManagerServant(String name, GroupDescriptor descriptor, GroupSettings settings, ORB orb,
            org.troupe.server.events.corba.ChannelDirectory.PrivateChannel privateChannel, LogFactory logs,
            long startNanos) {
        this.name = name;
        this.descriptor = descriptor;
        this.settings = settings;
        this.channelName = privateChannel.name();
        this.channelServant = privateChannel.servant();
        this.channelCore = privateChannel.core();
        this.encoder = new GroupEventEncoder(orb);
        this.links = new MemberLinks(name);
        this.replays = new JoinReplays(orb, name);
        this.liveness = new Liveness(settings.suspectMillis());
        this.protocol = org.troupe.wire.Descriptors.fromIdl(descriptor);
        this.log = logs.create(this::publish, new FlowGate(new ChannelFlow(channelCore)));
        log.read(core -> {
            liveness.follow(core.memberTokens(), core.view().id(), startNanos);
            return null;
        });
    }

    String channelName() {
        return channelName;
    }

    @Override
    public String group_name() {
        return name;
    }

    @Override
    public GroupDescriptor descriptor() {
        return descriptor;
    }

    /** From now on a join must give the key of which {@code hash} is the salted hash (null: none). */
    void requireJoinKey(String hash) {
        this.joinKeyHash = hash;
    }

    @Override
    public JoinTicket join(String requestId, String memberName, String role, PushConsumer consumer, boolean volunteer,
            boolean keepsOwn) throws UnknownRole, RoleFull, AlreadyMember {
        if (joinKeyHash != null) {
            throw new org.omg.CORBA.NO_PERMISSION("Troupe: group " + name + " requires a join key (join_with_key)",
                    org.troupe.orb.AdminOperations.MINOR_JOIN_KEY_REQUIRED, org.omg.CORBA.CompletionStatus.COMPLETED_NO);
        }
        return admit(requestId, memberName, role, consumer, volunteer, keepsOwn);
    }

    @Override
    public JoinTicket join_with_key(String joinKey, String requestId, String memberName, String role,
            PushConsumer consumer, boolean volunteer, boolean keepsOwn)
            throws UnknownRole, RoleFull, AlreadyMember, org.troupe.idl.Groups.JoinKeyRefused {
        String hash = joinKeyHash;
        // checked first, before anything else is looked at: a wrong key learns nothing of the group
        if (hash != null && !org.troupe.server.security.JoinKeys.matches(hash, joinKey)) {
            throw new org.troupe.idl.Groups.JoinKeyRefused(name, "wrong join key for group " + name);
        }
        return admit(requestId, memberName, role, consumer, volunteer, keepsOwn);
    }

    private JoinTicket admit(String requestId, String memberName, String role, PushConsumer consumer,
            boolean volunteer, boolean keepsOwn) throws UnknownRole, RoleFull, AlreadyMember {
        // checked before the consumer is called: a retry gets its ticket, a refusal costs nothing
        Outcome early = log.read(core -> core.previewJoin(requestId, memberName, role));
        if (early != null) {
            Ticket t = joinOutcome(early);
            replays.checkRetry(requestId, t.member().id(), consumer, clock.getAsLong()); // else a replay
            return ticket(t);
        }
        if (!joinsInProgress.add(requestId)) {
            // a retry while the first call connects: a second subscription would deliver twice
            throw new TRANSIENT("Troupe: this join is in progress; retry");
        }
        MemberLinks.Link link = null;
        try {
            // the consumer is connected before the view is published, so the member sees every
            // event from its view on; reading the group is tied to being in it: the ticket hands
            // out the member's own view of the channel, closed when the member goes
            MemberAudience audience = new MemberAudience(protocol, role, volunteer, keepsOwn);
            Runnable proxy = consumer == null ? null : connect(consumer, audience);
            link = new MemberLinks.Link(proxy, null); // released if the channel refuses the view
            link = new MemberLinks.Link(proxy, channelServant.openMemberChannel(audience.reader()));
            MemberLinks.Link joining = link;
            byte[] requester = replays.requester(consumer);
            byte[] secret = new byte[16];
            RANDOM.nextBytes(secret);
            Outcome o = log.submit(new GroupCommand.Join(requestId, memberName, role, volunteer,
                    HexFormat.of().formatHex(secret), clock.getAsLong()), false, applied -> {
                        if (applied.result() instanceof Ticket t && !t.retried()) {
                            audience.member(t.member().id());
                            links.put(t.member().id(), joining);
                            replays.remember(requestId, t.member().id(), requester, clock.getAsLong());
                        }
                    });
            Ticket t = joinOutcome(o);
            if (t.retried()) { // a concurrent retry won: this call is answered as a retry
                replays.checkRetry(requestId, t.member().id(), consumer, clock.getAsLong());
            } else {
                link = null; // the member's now
                LOG.info("group {}: {} joined as {} (member {}){}; view {}", name, memberName, role, t.member().id(),
                        volunteer ? " volunteering for the sequencer" : "", t.view().id());
            }
            return ticket(t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TRANSIENT("Troupe: server shutting down");
        } catch (CommandLog.Unavailable e) {
            throw new TRANSIENT("Troupe: " + e.getMessage() + "; retry");
        } finally {
            joinsInProgress.remove(requestId);
            if (link != null) {
                link.release(); // refused, or a concurrent retry won: keep its consumer
            }
            links.releaseDeparted();
        }
    }

    private static Ticket joinOutcome(Outcome o) throws UnknownRole, RoleFull, AlreadyMember {
        if (o.refused()) {
            throw IdlRefusals.raise(o.refusal(), UnknownRole.class, RoleFull.class, AlreadyMember.class);
        }
        return (Ticket) o.result();
    }

    private Runnable connect(PushConsumer consumer, MemberAudience audience) {
        try {
            return channelServant.connectPushConsumer(consumer, audience,
                    reason -> liveness.cutOff(audience::member, reason, clock.getAsLong()));
        } catch (org.omg.CosEventChannelAdmin.AlreadyConnected | org.omg.CosEventChannelAdmin.TypeError e) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: the consumer cannot be connected to the group's channel: "
                    + e.getClass().getSimpleName());
        }
    }

    private JoinTicket ticket(Ticket t) {
        MemberLinks.Link link = links.get(t.member().id());
        if (link == null) { // the member went, or the group was destroyed, meanwhile
            throw new OBJECT_NOT_EXIST("Troupe: join: member " + t.member().id() + " is no longer in group " + name
                    + " (left, removed, or the group was destroyed)");
        }
        return new JoinTicket(t.member().id(), t.token(), link.view().channel(), CoreIdl.view(t.view()),
                t.viewSequenceId(), (int) settings.heartbeatMillis(), (int) settings.suspectMillis(),
                settings.maxPayload(), descriptor, t.turnPositions());
    }

    @Override
    public JoinTicket resume(long member, String token, PushConsumer consumer, long received, boolean keepsOwn)
            throws NotMember {
        if (consumer == null) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: resume: the member's consumer is nil");
        }
        long started = System.nanoTime();
        Refusal.NotMember why = log.read(core -> core.checkMember(member, token));
        if (why != null) {
            throw (NotMember) CoreIdl.exception(why);
        }
        MemberInfo who = log.read(core -> core.member(member));
        boolean volunteer = log.read(core -> core.volunteers(member));
        MemberAudience audience = new MemberAudience(protocol, who.role(), volunteer, keepsOwn);
        audience.member(member);
        GatedFilter gate = new GatedFilter(audience); // nothing reaches it before what it missed
        long[] connected = {0};
        boolean resumed = false;
        try {
            JoinTicket t = resume(member, token, consumer, received, who, audience, gate, connected);
            resumed = true;
            return t;
        } finally {
            long total = System.nanoTime() - started;
            if (total > java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(settings.suspectMillis() / 4)) {
                // the member gives up on this call after the suspect time, and the group removes it
                // once it has been silent that long: a slow resume is a removal coming
                LOG.warn("group {}: resuming {} (member {}) {} after {} ms: {}", name, who.name(), member,
                        resumed ? "succeeded" : "failed", total / 1_000_000, connected[0] == 0
                                ? "its consumer was not connected"
                                : (connected[0] - started) / 1_000_000 + " ms until its consumer was connected, "
                                        + (System.nanoTime() - connected[0]) / 1_000_000 + " ms catching it up");
            }
        }
    }

    private JoinTicket resume(long member, String token, PushConsumer consumer, long received, MemberInfo who,
            MemberAudience audience, GatedFilter gate, long[] connected) throws NotMember {
        ChannelServant.OwnedConsumer owned;
        try {
            owned = channelServant.connectOwnedPushConsumer(consumer, gate,
                    reason -> liveness.cutOff(() -> member, reason, clock.getAsLong()));
        } catch (org.omg.CosEventChannelAdmin.AlreadyConnected | org.omg.CosEventChannelAdmin.TypeError e) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: resume: the consumer cannot be connected: "
                    + e.getClass().getSimpleName());
        } catch (org.omg.CORBA.BAD_PARAM e) {
            if (e.minor != org.troupe.server.events.corba.PeerCalls.CONSUMER_UNREACHABLE_MINOR) {
                throw e;
            }
            // The member is alive (it is calling): its call-back connection broke, or was not
            // there yet, while it moved between servers. Its next attempt comes over a
            // connection of its own; until the group's suspect time, it stays a member.
            LOG.info("group {}: {} (member {}) could not be reached to resume it; it is told to ask again ({})",
                    name, who.name(), member, e.getMessage());
            throw new TRANSIENT("Troupe: resume: the member's consumer could not be reached just now ("
                    + e.getMessage() + "); retry", 0, org.omg.CORBA.CompletionStatus.COMPLETED_NO);
        }
        connected[0] = System.nanoTime();
        MemberLinks.Link link = new MemberLinks.Link(owned.disconnect(), null); // released if the channel refuses the view
        try {
            link = new MemberLinks.Link(owned.disconnect(), channelServant.openMemberChannel(audience.reader()));
            MemberLinks.Link resumed = link;
            JoinTicket ticket;
            try {
                ticket = log.resume(received, (core, missed) -> {
                    if (core.checkMember(member, token) != null) {
                        return null; // removed meanwhile
                    }
                    if (missed == null) {
                        throw received > core.lastSequenceId()
                                ? new TRANSIENT("Troupe: resume: this server has not yet applied sequence id "
                                        + received + " of group " + name + "; retry")
                                : new org.omg.CORBA.BAD_PARAM("Troupe: resume: the events after sequence id " + received
                                        + " of group " + name + " are no longer held; join again");
                    }
                    gate.open(); // under the group's order: what it missed comes before any later event
                    owned.offer().accept(encoder.encode(missed));
                    links.put(member, resumed);
                    liveness.heard(member, token, clock.getAsLong());
                    liveness.resumed(member, clock.getAsLong());
                    return new JoinTicket(member, token, resumed.view().channel(), CoreIdl.view(core.view()),
                            core.viewSequenceId(), (int) settings.heartbeatMillis(), (int) settings.suspectMillis(),
                            settings.maxPayload(), descriptor, new int[0]);
                });
            } catch (CommandLog.Unavailable e) { // this server stops hosting the group
                throw new TRANSIENT("Troupe: resume: " + e.getMessage() + "; retry", 0,
                        org.omg.CORBA.CompletionStatus.COMPLETED_NO);
            }
            if (ticket == null) {
                throw (NotMember) CoreIdl.exception(log.read(core -> core.checkMember(member, token)));
            }
            link = null;
            LOG.info("group {}: {} (member {}) resumed after sequence id {}", name, who.name(), member, received);
            return ticket;
        } finally {
            if (link != null) {
                link.release();
            }
            links.releaseDeparted();
        }
    }

    @Override
    public void leave(long member, String token) throws NotMember {
        Outcome o = submit(new GroupCommand.Leave(member, token, clock.getAsLong()), false);
        if (o.refused()) {
            throw IdlRefusals.raise(o.refusal(), NotMember.class);
        }
        if (o.result() instanceof MemberInfo m) {
            LOG.info("group {}: {} (member {}) left", name, m.name(), m.id());
        }
    }

    @Override
    public long heartbeat(long member, String token) throws NotMember {
        // lock-free: a heartbeat must not wait behind sends held back by flow control
        long view = liveness.heard(member, token, clock.getAsLong());
        if (view >= 0) {
            links.requireConnectedHere(member);
            return view;
        }
        Refusal.NotMember why = log.read(core -> core.checkMember(member, token));
        if (why != null) {
            throw (NotMember) CoreIdl.exception(why);
        }
        links.requireConnectedHere(member);
        return log.read(core -> core.view().id());
    }

    @Override
    public void send(long member, String token, Message[] messages) throws NotMember, ForgedSender, TypeNotAllowed,
            MessageTooLarge, BadMessage, ResponseRefused, OutOfTurn {
        if (org.troupe.trace.HopTrace.ON) {
            org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.SERVER_ENTER);
        }
        long now = clock.getAsLong();
        if (liveness.heard(member, token, now) >= 0) { // sending proves life too
            links.requireConnectedHere(member);
        }
        Outcome o = submit(new GroupCommand.Send(member, token, CoreIdl.envelopes(messages), now), true);
        if (o.refused()) {
            throw IdlRefusals.raise(o.refusal(), NotMember.class, ForgedSender.class, TypeNotAllowed.class,
                    MessageTooLarge.class, BadMessage.class, ResponseRefused.class, OutOfTurn.class);
        }
        if (o.result() instanceof Integer skipped && skipped > 0) {
            LOG.debug("group {}: member {} re-sent {} messages; skipped", name, member, skipped);
        }
    }

    @Override
    public void order(long member, String token, MessageRef[] refs) throws NotMember, NotSequencer, BadOrder {
        long now = clock.getAsLong();
        if (liveness.heard(member, token, now) >= 0) {
            links.requireConnectedHere(member);
        }
        List<Ref> list = new ArrayList<>(refs.length);
        for (MessageRef r : refs) {
            list.add(CoreIdl.ref(r));
        }
        Outcome o = submit(new GroupCommand.Order(member, token, list, now), true);
        if (o.refused()) {
            throw IdlRefusals.raise(o.refusal(), NotMember.class, NotSequencer.class, BadOrder.class);
        }
    }

    private Outcome submit(GroupCommand c, boolean flowControlled) {
        try {
            return log.submit(c, flowControlled);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TRANSIENT("Troupe: server shutting down");
        } catch (CommandLog.Unavailable e) {
            throw new TRANSIENT("Troupe: " + e.getMessage() + "; retry");
        } finally {
            links.releaseDeparted();
        }
    }

    /**
     * Removes members that the group's liveness says must go (silent, cut off by the channel, a
     * stalled sequencer holder), and closes timed-out queries; called by the reaper.
     */
    void expire() {
        long now = clock.getAsLong();
        GroupCommand.Remove decision = log.read(core -> {
            List<GroupCommand.Removal> removals = liveness.decide(now, core);
            return removals.isEmpty() && !core.queriesExpiredAt(now) ? null : new GroupCommand.Remove(removals, now);
        });
        if (decision == null) {
            return;
        }
        Outcome o = submit(decision, false);
        if (o.result() instanceof List<?> removed) {
            for (Object r : removed) {
                MemberInfo m = (MemberInfo) r;
                String why = decision.removals().stream().filter(x -> x.member() == m.id()).findFirst()
                        .map(GroupCommand.Removal::reason).orElse("");
                LOG.warn("group {}: {} (member {}) removed: {}", name, m.name(), m.id(), why);
            }
        }
    }

    /**
     * How long the group has had no member, as this server has seen it (0 while it has one); a
     * server that starts hosting the group counts from then. Called by the reaper only.
     */
    long emptyFor(long now) {
        boolean noMember = log.read(core -> core.view().members().isEmpty());
        if (!noMember) {
            empty = false;
            return 0;
        }
        if (!empty) {
            empty = true;
            emptySince = now;
        }
        return now - emptySince;
    }

    /** This server did not run for a while: the silence of that while does not count (see {@link Liveness#excuse}). */
    void excusePause() {
        liveness.excuse(clock.getAsLong());
    }

    /** Disconnects every member's consumer (the group is destroyed). */
    void disconnectAll() {
        links.departAll();
        links.releaseDeparted();
    }

    @Override
    public GroupView current_view() {
        return log.read(core -> CoreIdl.view(core.view()));
    }

    @Override
    public GroupInfo info() {
        return log.read(core -> new GroupInfo(name, descriptor, CoreIdl.view(core.view()), core.messagesSequenced(),
                core.viewsInstalled(), "", 0));
    }

    /** The group as an operator sees it now (on one server: no leader, no term). */
    org.troupe.server.groups.GroupStatus status() {
        return log.read(core -> org.troupe.server.groups.GroupStatus.of(core, null, 0)).withHealth(health());
    }

    /** Each member's heartbeat age and queue in the group's channel, as this server (its host) sees them. */
    java.util.Map<Long, org.troupe.server.groups.GroupStatus.MemberHealth> health() {
        java.util.Map<Long, EventChannelCore.ConsumerState> queues = new java.util.HashMap<>();
        for (EventChannelCore.ConsumerState c : channelCore.consumers()) {
            org.troupe.server.events.EventFilter f = c.filter() instanceof GatedFilter g ? g.inner() : c.filter();
            if (f instanceof MemberAudience a && a.member() != 0) {
                queues.put(a.member(), c);
            }
        }
        java.util.Map<Long, org.troupe.server.groups.GroupStatus.MemberHealth> out = new java.util.HashMap<>();
        liveness.heardAgo(clock.getAsLong()).forEach((id, ago) -> {
            EventChannelCore.ConsumerState q = queues.get(id);
            out.put(id, new org.troupe.server.groups.GroupStatus.MemberHealth(ago / 1_000_000L,
                    q == null ? -1 : q.queued(), q == null ? 0 : q.capacity(), q == null || q.keepingUp()));
        });
        return out;
    }

    /**
     * Publishes one outcome's events into the group's channel (under the group's lock, without
     * waiting: flow control held the call back before). A view change also updates who the
     * group's liveness watches and lets go of departed members' consumers and channel views.
     */
    private void publish(GroupCore core, List<GroupEvent> events) {
        Any[] anys = encoder.encode(events);
        for (GroupEvent e : events) {
            if (e instanceof GroupEvent.ViewInstalled v) {
                for (MemberInfo m : v.left()) {
                    links.depart(m.id());
                    replays.forget(m.id());
                }
                for (MemberInfo m : v.crashed()) {
                    links.depart(m.id());
                    replays.forget(m.id());
                }
                liveness.follow(core.memberTokens(), v.view().id(), clock.getAsLong());
            } else if (e instanceof GroupEvent.Orders o && LOG.isDebugEnabled()) {
                LOG.debug("group {}: {} orders published", name, o.orders().size());
            }
        }
        channelCore.publishNow(anys, anys.length);
        if (org.troupe.trace.HopTrace.ON) {
            org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.SERVER_PUBLISHED);
        }
    }

}
