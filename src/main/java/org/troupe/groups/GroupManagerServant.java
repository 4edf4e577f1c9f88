package org.troupe.groups;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventComm.PushConsumer;
import org.troupe.idl.Groups.BadOrder;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.NotSequencer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.cdr.FastAny;
import org.troupe.wire.GroupCodecs;
import org.troupe.events.EventChannelCore;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.AlreadyMember;
import org.troupe.idl.Groups.BadMessage;
import org.troupe.idl.Groups.ForgedSender;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.GroupManagerPOA;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.JoinGroup;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.LeaveGroup;
import org.troupe.idl.Groups.LeaveKind;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.MessageTooLarge;
import org.troupe.idl.Groups.NotMember;
import org.troupe.idl.Groups.RoleFull;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.SequenceMessageListHelper;
import org.troupe.idl.Groups.TypeNotAllowed;
import org.troupe.idl.Groups.OutOfTurn;
import org.troupe.idl.Groups.ResponseRefused;
import org.troupe.protocol.TypeRule;
import org.troupe.idl.Groups.UnknownRole;
import org.troupe.idl.Groups.UpdateView;
import org.troupe.idl.Groups.UpdateViewHelper;

/**
 * One group's Group Manager, with the group's sequencer beside it (the default placement). Every
 * change and every message is checked, stamped and numbered under one lock, and published into
 * the group's channel under the same lock, so the channel carries messages and views in sequence
 * order. Flow control holds a sender back before it takes the lock, never inside it. A member
 * proves itself with the token of its join ticket on every call.
 */
final class GroupManagerServant extends GroupManagerPOA {
    private static final Logger LOG = LoggerFactory.getLogger(GroupManagerServant.class);
    private static final int MAX_NAME = 256;

    private final String name;
    private final GroupDescriptor descriptor;
    private final org.troupe.protocol.ApplicationProtocol protocol;
    private final boolean impliedOrder;
    private final PatternTracker patterns;
    /** Each member's turn positions as of its join's view (a retried join gets the same). */
    private final java.util.Map<Long, int[]> joinTurnPositions = new java.util.HashMap<>();
    private final GroupSettings settings;
    private final ORB orb;
    private final EventChannelCore channelCore;
    private final String channelName;
    private final org.troupe.events.corba.ChannelServant channelServant;
    private final GroupState state;
    private final ReentrantLock lock = new ReentrantLock();
    /** Held by the one sender that waits for flow control (outside {@link #lock}). */
    private final ReentrantLock flowGate = new ReentrantLock();
    /** The current members, for lock-free heartbeats; updated with every view. */
    private final java.util.concurrent.ConcurrentHashMap<Long, GroupState.Member> liveMembers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long currentViewId;
    /** Request ids of joins between their two locked sections (a concurrent retry waits for them). */
    private final java.util.Set<String> joinsInProgress = new java.util.HashSet<>();
    /** Each member's consumer, connected by the manager at join. */
    private final java.util.Map<Long, Runnable> proxies = new java.util.HashMap<>();
    /** Each member's view of the group's channel (what its ticket hands out), closed when it goes. */
    private final java.util.Map<Long, EventChannel> memberChannels = new java.util.HashMap<>();
    /** Consumers the channel cut off (recorded on its threads; the reaper removes their members). */
    private final java.util.concurrent.ConcurrentLinkedQueue<CutOff> cutOffs =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A member's consumer that the channel cut off, why, and when. */
    private record CutOff(MemberAudience audience, String reason, long nanos) {
    }

    GroupManagerServant(String name, GroupDescriptor descriptor, GroupSettings settings, ORB orb,
            org.troupe.events.corba.ChannelDirectory.PrivateChannel privateChannel) {
        this.channelName = privateChannel.name();
        this.channelServant = privateChannel.servant();
        EventChannelCore channelCore = privateChannel.core();
        this.name = name;
        this.descriptor = descriptor;
        this.protocol = org.troupe.wire.Descriptors.fromIdl(descriptor);
        this.impliedOrder = descriptor.implied_order;
        this.patterns = new PatternTracker(protocol);
        this.settings = settings;
        this.orb = orb;
        this.channelCore = channelCore;
        List<GroupState.Role> roles = new ArrayList<>();
        for (org.troupe.protocol.RoleDef r : protocol.roles()) {
            roles.add(new GroupState.Role(r.name(), r.min(), r.max()));
        }
        this.state = new GroupState(roles);
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

    @Override
    public JoinTicket join(String requestId, String memberName, String role, PushConsumer consumer, boolean volunteer,
            boolean keepsOwn)
            throws UnknownRole, RoleFull, AlreadyMember {
        requireText(requestId, "request_id");
        requireText(memberName, "name");
        lock.lock();
        try {
            GroupState.Joined earlier = state.earlierJoin(requestId);
            if (earlier != null) { // a retried request: the same ticket, nothing applied twice
                return ticket(sameJoin(earlier, memberName, role));
            }
            checkJoin(memberName, role);
            if (!joinsInProgress.add(requestId)) {
                // a retry while the first call connects: a second subscription would deliver twice
                throw new org.omg.CORBA.TRANSIENT("Troupe: this join is in progress; retry");
            }
        } finally {
            lock.unlock();
        }
        try {
            return admit(requestId, memberName, role, consumer, volunteer, keepsOwn);
        } finally {
            lock.lock();
            try {
                joinsInProgress.remove(requestId);
            } finally {
                lock.unlock();
            }
        }
    }

    /** The second half of a join: connects the consumer (outside the lock), then admits the member. */
    private JoinTicket admit(String requestId, String memberName, String role, PushConsumer consumer,
            boolean volunteer, boolean keepsOwn) throws UnknownRole, RoleFull, AlreadyMember {
        // connected before the view is published (outside the lock: it calls the member back),
        // so the member sees every event from its view on
        MemberAudience audience = new MemberAudience(protocol, role, volunteer, keepsOwn);
        Runnable proxy = consumer == null ? null : connect(consumer, audience);
        lock.lock();
        try {
            GroupState.Joined earlier = state.earlierJoin(requestId);
            if (earlier == null) {
                checkJoin(memberName, role);
            }
            if (earlier != null) {
                release(proxy); // a concurrent retry won: keep its consumer
                return ticket(sameJoin(earlier, memberName, role));
            }
            // reading the group is tied to being in it: the ticket hands out the member's own view
            // of the channel, closed (its consumers disconnected) when the member goes; opened
            // first, so that a destroyed channel refuses the join before anything changed
            org.troupe.events.corba.ChannelServant.MemberChannel view = channelServant.openMemberChannel();
            GroupState.Joined j = state.join(requestId, memberName, role, volunteer, System.nanoTime());
            audience.member(j.member().id);
            joinTurnPositions.put(j.member().id, patterns.turnPositions());
            memberChannels.put(j.member().id, view.channel());
            Runnable consumerProxy = proxy;
            proxies.put(j.member().id, () -> {
                release(consumerProxy);
                view.close().run();
            });
            proxy = null;
            List<Any> events = new ArrayList<>(updateView(j.change()));
            LOG.info("group {}: {} joined as {} (member {}){}; view {}", name, memberName, role, j.member().id,
                    volunteer ? " volunteering for the sequencer" : "", j.view().id());
            publish(events);
            return ticket(j);
        } finally {
            lock.unlock();
            release(proxy);
        }
    }

    /** A retried join must be the same join: a request id used for another name or role is refused. */
    private static GroupState.Joined sameJoin(GroupState.Joined earlier, String memberName, String role) {
        if (!earlier.member().name.equals(memberName) || !earlier.member().role.equals(role)) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: join: this request_id was used by an earlier join with"
                    + " another name or role; a new join needs a new request_id");
        }
        return earlier;
    }

    private void checkJoin(String memberName, String role) throws UnknownRole, RoleFull, AlreadyMember {
        GroupState.Role r = state.roles().get(role);
        if (r == null) {
            throw new UnknownRole(role, state.roles().keySet().toArray(new String[0]));
        }
        GroupState.Member same = state.memberNamed(memberName);
        if (same != null) {
            throw new AlreadyMember(memberName, same.id);
        }
        if (state.countInRole(role) >= r.max()) {
            throw new RoleFull(role, r.max());
        }
    }

    private Runnable connect(PushConsumer consumer, MemberAudience audience) {
        try {
            return channelServant.connectPushConsumer(consumer, audience,
                    reason -> cutOffs.add(new CutOff(audience, "its channel cut it off (" + reason + ")",
                            System.nanoTime())));
        } catch (org.omg.CosEventChannelAdmin.AlreadyConnected | org.omg.CosEventChannelAdmin.TypeError e) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: the consumer cannot be connected to the group's channel: "
                    + e.getClass().getSimpleName());
        }
    }

    /** Disconnects a member's consumer from the channel, quietly (the member learns from its view). */
    private static void release(Runnable disconnect) {
        if (disconnect != null) {
            disconnect.run();
        }
    }

    /**
     * The member proven by {@code token}, or NotMember: "member N {@code whenDeparted}" for a
     * member that was in the group, else a message that says the id or token is wrong.
     */
    private GroupState.Member requireMember(long member, String token, String whenDeparted) throws NotMember {
        GroupState.Member m = token == null ? null : state.member(member, token);
        if (m == null) {
            throw new NotMember(member, token != null && state.departedWith(member, token)
                    ? "member " + member + " " + whenDeparted
                    : "not a member of group " + name + " (unknown member id or wrong token)");
        }
        return m;
    }

    private JoinTicket ticket(GroupState.Joined j) {
        if (state.current(j.member().id) == null) { // a retry that comes after the member went
            throw new org.omg.CORBA.OBJECT_NOT_EXIST("Troupe: join: member " + j.member().id + " of this request"
                    + " has left group " + name + " (or was removed); a new join needs a new request_id");
        }
        EventChannel view = memberChannels.get(j.member().id);
        if (view == null) { // the group was destroyed meanwhile
            throw new org.omg.CORBA.OBJECT_NOT_EXIST("Troupe: group " + name + " was destroyed");
        }
        return new JoinTicket(j.member().id, j.member().token, view, toIdl(j.view()),
                j.viewSequenceId(),
                (int) settings.heartbeatMillis(), (int) settings.suspectMillis(), settings.maxPayload(),
                descriptor, joinTurnPositions.getOrDefault(j.member().id, new int[0]));
    }

    @Override
    public void leave(long member, String token) throws NotMember {
        Runnable proxy = null;
        lock.lock();
        try {
            GroupState.Member m = state.member(member, token);
            if (m == null) {
                if (token != null && state.departedWith(member, token)) {
                    return; // a retried leave, or a member already removed: nothing to do
                }
                throw new NotMember(member, "no member " + member + " with this token in group " + name);
            }
            publish(updateView(state.leave(m)));
            proxy = proxies.remove(m.id);
            memberChannels.remove(m.id);
            joinTurnPositions.remove(m.id);
            LOG.info("group {}: {} (member {}) left", name, m.name, m.id);
        } finally {
            lock.unlock();
            release(proxy);
        }
    }

    @Override
    public long heartbeat(long member, String token) throws NotMember {
        // lock-free: a heartbeat must not wait behind sends held back by flow control
        GroupState.Member live = liveMembers.get(member);
        if (live != null && live.token.equals(token)) {
            live.lastHeardNanos = System.nanoTime();
            return currentViewId;
        }
        lock.lock();
        try {
            GroupState.Member m = requireMember(member, token, "was removed from group " + name
                    + " (left, silent too long, or cut off by the group's channel as too slow or unreachable)");
            m.lastHeardNanos = System.nanoTime();
            return state.view().id();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(long member, String token, Message[] messages) throws NotMember, ForgedSender, TypeNotAllowed,
            MessageTooLarge, BadMessage, ResponseRefused, OutOfTurn {
        int limit = callLimit();
        if (messages.length > limit) { // one call is one event: larger than a queue, it would cut every member off
            throw new BadMessage(limit, messages.length + " messages in one send call: at most " + limit);
        }
        lockWhenFlowOpen();
        try {
            GroupState.Member m = requireMember(member, token, "is no longer in group " + name + ": it cannot send");
            m.lastHeardNanos = System.nanoTime(); // sending proves life too
            TypeRule[] rules = new TypeRule[messages.length];
            for (int i = 0; i < messages.length; i++) {
                rules[i] = check(m, messages, i);
            }
            long expected = m.nextMessageId;
            if (messages.length > 0 && messages[0].message_id > expected) {
                throw new BadMessage(0, "message_id " + messages[0].message_id + " but " + expected
                        + " was expected: message ids go 1, 2, 3 ... per sender");
            }
            // ids below the expected one were taken already (a retried send): skipped, not applied twice
            int first = messages.length == 0 ? 0 : (int) Math.min(messages.length, expected - messages[0].message_id);
            List<Any> events = new ArrayList<>(4);
            List<Message> sent = new ArrayList<>(messages.length - first); // sequenced, not yet in events
            List<SequenceMessage> order = new ArrayList<>(messages.length - first);
            boolean memberOrders = state.memberOrders();
            long now = System.nanoTime();
            for (int i = first; i < messages.length; i++) {
                Message msg = messages[i];
                TypeRule rule = rules[i];
                msg.source = member; // stamped: a member cannot send as another
                GroupState.Ref ref = new GroupState.Ref(member, msg.message_id);
                TypeRule.Ordering ordering = rule.ordering(impliedOrder);
                long dependency = 0;
                int turnPattern = -1;
                if (rule.kind() == TypeRule.Kind.REACTIVE) {
                    if (rule.toQuerier() && rule.receivers().isEmpty()) {
                        checkToQuerier(msg, i);
                    }
                    PatternTracker.OpenQuery q = respond(msg, rule, member, i, now);
                    if (rule.toQuerier() && rule.receivers().isEmpty()) {
                        msg.destination = new org.troupe.idl.Groups.Address(AddressKind.TO_MEMBER, "", q.querier);
                    }
                    dependency = q.point;
                } else if (rule.kind() == TypeRule.Kind.TURN) {
                    try {
                        turnPattern = patterns.turn(msg.message_type, m.role);
                    } catch (PatternTracker.NotYourTurn e) {
                        throw new OutOfTurn(i, msg.message_type, e.expectedRole);
                    }
                    dependency = patterns.turnPoint(turnPattern);
                }
                if (rule.isQuery()) {
                    patterns.opened(ref, rule, member, now);
                }
                if (ordering == TypeRule.Ordering.TOTAL) {
                    msg.sequenced = true;
                    msg.after = 0;
                    sent.add(msg);
                    if (memberOrders) {
                        state.addUnordered(ref, msg, now);
                    } else {
                        long seq = state.sequence();
                        order.add(sequenceMessage(msg, seq));
                        placed(ref, seq);
                        if (turnPattern >= 0) {
                            patterns.turnPlaced(turnPattern, seq);
                        }
                    }
                } else {
                    // implied order: after what it depends on, after the sender's earlier messages
                    // (ordered now if a member sequencer has not yet), and in the current view
                    for (GroupState.Ordered o : state.orderPendingOf(member)) {
                        order.add(sequenceMessage((Message) o.message(), o.sequenceId()));
                        placed(o.ref(), o.sequenceId());
                    }
                    addMessages(events, sent);
                    addOrder(events, order);
                    order.clear();
                    long after = Math.max(Math.max(dependency, m.point), state.viewSequenceId());
                    msg.sequenced = false;
                    msg.after = after;
                    m.point = after;
                    patterns.placed(ref, after);
                    if (turnPattern >= 0) {
                        patterns.turnPlaced(turnPattern, after);
                    }
                    events.add(any(msg));
                }
            }
            addMessages(events, sent);
            addOrder(events, order);
            m.nextMessageId = expected + (messages.length - first);
            if (first > 0) {
                LOG.debug("group {}: member {} re-sent {} messages; skipped", name, member, first);
            }
            publish(events);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The most messages one send (or orders one order call) may carry: a batch's limit (4096). A
     * group's channel queue holds at least two such calls (see GroupDirectory), since a call is
     * published as one event, and one larger than a queue would cut every member off.
     */
    private static int callLimit() {
        return org.troupe.events.ChannelSettings.MAX_BATCH;
    }

    /** Checks one message of a send against the protocol and limits; returns its type's rule. */
    private TypeRule check(GroupState.Member m, Message[] messages, int i) throws ForgedSender, TypeNotAllowed,
            MessageTooLarge, BadMessage {
        Message msg = messages[i];
        if (msg.source != 0 && msg.source != m.id) {
            throw new ForgedSender(msg.source, m.id);
        }
        TypeRule rule = protocol.rule(msg.message_type);
        if (rule == null || !rule.allows(m.role)) {
            List<String> allowed = new ArrayList<>();
            for (TypeRule r : protocol.rules().values()) {
                if (r.allows(m.role)) {
                    allowed.add(r.type());
                }
            }
            throw new TypeNotAllowed(msg.message_type, allowed.toArray(new String[0]));
        }
        if (msg.payload.length > settings.maxPayload()) {
            throw new MessageTooLarge(msg.payload.length, settings.maxPayload());
        }
        if (msg.destination.kind == AddressKind.TO_ROLE && !state.roles().containsKey(msg.destination.role)) {
            throw new BadMessage(i, "destination role '" + msg.destination.role + "' is not a role of group " + name);
        }
        if (msg.message_id <= 0) {
            throw new BadMessage(i, "message_id must be at least 1");
        }
        if (i > 0 && msg.message_id != messages[0].message_id + i) {
            throw new BadMessage(i, "message ids in one send must be consecutive");
        }
        if (rule.kind() == TypeRule.Kind.REACTIVE) {
            if (msg.answers.source == 0 || msg.answers.message_id == 0) {
                throw new BadMessage(i, "a " + msg.message_type + " is a response: it must name the query it answers");
            }
            if (msg.is_proactive) {
                throw new BadMessage(i, "a " + msg.message_type + " is a response: is_proactive must be FALSE");
            }
        } else if (msg.answers.source != 0 || msg.answers.message_id != 0) {
            // members take a message naming a query as a response to it
            throw new BadMessage(i, "a " + msg.message_type + " is not a response: answers must be 0:0, not "
                    + msg.answers.source + ":" + msg.answers.message_id);
        }
        if (rule.kind() != TypeRule.Kind.PROACTIVE && messages.length > 1) {
            throw new BadMessage(i, "a " + msg.message_type + " (a " + (rule.kind() == TypeRule.Kind.TURN ? "turn"
                    : "response") + ") must be sent on its own, one per send call");
        }
        return rule;
    }

    /**
     * A response that goes to its querier is addressed to the group (the manager narrows it) or
     * to the querier itself, not elsewhere: the protocol decides who hears it, not the responder.
     */
    private static void checkToQuerier(Message msg, int index) throws BadMessage {
        org.troupe.idl.Groups.Address d = msg.destination;
        boolean toQuerier = d.kind == AddressKind.TO_MEMBER && d.member == msg.answers.source;
        if (d.kind != AddressKind.TO_GROUP && !toQuerier) {
            throw new BadMessage(index, "a " + msg.message_type + " goes to the member whose query it answers"
                    + " (member " + msg.answers.source + "): address it to the group or to that member");
        }
    }

    private PatternTracker.OpenQuery respond(Message msg, TypeRule rule, long member, int index, long now)
            throws ResponseRefused {
        try {
            return patterns.respond(rule, new GroupState.Ref(msg.answers.source, msg.answers.message_id), member, now,
                    state::countInRole);
        } catch (PatternTracker.Refused e) {
            throw new ResponseRefused(index, msg.answers, "group " + name + " refuses this " + msg.message_type + ": "
                    + e.getMessage());
        }
    }

    /** A message got sequence id {@code seq}: its query (if it is one) and its sender learn it. */
    private void placed(GroupState.Ref ref, long seq) {
        patterns.placed(ref, seq);
        GroupState.Member sender = state.current(ref.source());
        if (sender != null && sender.point < seq) {
            sender.point = seq;
        }
    }

    private static SequenceMessage sequenceMessage(Message msg, long seq) {
        return new SequenceMessage(msg.message_id, msg.source, seq, msg.destination, msg.message_type);
    }

    @Override
    public void order(long member, String token, MessageRef[] refs) throws NotMember, NotSequencer, BadOrder {
        int limit = callLimit();
        if (refs.length > limit) {
            throw new BadOrder(limit, refs.length + " orders in one call: at most " + limit);
        }
        lockWhenFlowOpen();
        try {
            GroupState.Member m = requireMember(member, token, "is no longer in group " + name + ": it cannot order");
            long now = System.nanoTime();
            m.lastHeardNanos = now;
            if (state.view().sequencer() != member) {
                throw new NotSequencer(state.view().sequencer());
            }
            for (int i = 0; i < refs.length; i++) {
                GroupState.Ref r = new GroupState.Ref(refs[i].source, refs[i].message_id);
                if (!state.published(r)) {
                    throw new BadOrder(i, "message " + r.source() + "/" + r.messageId() + " was never published");
                }
            }
            List<SequenceMessage> order = new ArrayList<>(refs.length);
            for (MessageRef ref : refs) {
                GroupState.Ref r = new GroupState.Ref(ref.source, ref.message_id);
                if (state.isUnordered(r)) { // else ordered already (a retried call, a flush): skipped
                    GroupState.Ordered o = state.order(r, now);
                    order.add(sequenceMessage((Message) o.message(), o.sequenceId()));
                    placed(r, o.sequenceId());
                }
            }
            List<Any> events = new ArrayList<>(1);
            addOrder(events, order);
            publish(events);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes members silent longer than the suspect time, and members whose consumer the channel
     * cut off (a push failed as if the member were gone, or it fell a whole queue behind: it would
     * miss messages while still in the view); called by the reaper.
     */
    void expire() {
        List<Runnable> gone = new ArrayList<>();
        lock.lock();
        try {
            long now = System.nanoTime();
            patterns.expire(now);
            java.util.Map<Long, String> cut = cutOffMembers(now);
            long deadline = now - settings.suspectMillis() * 1_000_000L;
            if (state.sequencerStalledSince(deadline)) { // its flush orders what waits; the next volunteer takes over
                cut.putIfAbsent(state.view().sequencer(), "it holds the sequencer but ordered nothing for "
                        + settings.suspectMillis() + " ms while messages waited");
            }
            GroupState.ViewChange change = state.expire(deadline, cut.keySet());
            if (change != null) {
                for (GroupState.Member m : change.crashed()) {
                    joinTurnPositions.remove(m.id);
                    String why = cut.get(m.id);
                    if (why != null) {
                        LOG.warn("group {}: {} (member {}) removed: {}", name, m.name, m.id, why);
                    } else {
                        LOG.warn("group {}: {} (member {}) removed: silent for more than {} ms", name, m.name, m.id,
                                settings.suspectMillis());
                    }
                    Runnable p = proxies.remove(m.id);
                    memberChannels.remove(m.id);
                    if (p != null) {
                        gone.add(p);
                    }
                }
                publish(updateView(change));
            }
        } finally {
            lock.unlock();
            gone.forEach(GroupManagerServant::release);
        }
    }

    /**
     * The current members whose consumer the channel cut off, with the reason. A cut-off that
     * came before its join was done (no member id yet) waits for it, up to the suspect time.
     */
    private java.util.Map<Long, String> cutOffMembers(long now) {
        java.util.Map<Long, String> cut = new java.util.HashMap<>();
        List<CutOff> waiting = new ArrayList<>();
        for (CutOff c; (c = cutOffs.poll()) != null;) {
            long id = c.audience().member();
            if (id != 0) {
                if (state.current(id) != null) {
                    cut.put(id, c.reason());
                }
            } else if (now - c.nanos() < settings.suspectMillis() * 1_000_000L) {
                waiting.add(c);
            }
        }
        cutOffs.addAll(waiting);
        return cut;
    }

    /** Disconnects every member's consumer (the group is destroyed). */
    void disconnectAll() {
        List<Runnable> all;
        lock.lock();
        try {
            all = new ArrayList<>(proxies.values());
            proxies.clear();
            memberChannels.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(GroupManagerServant::release);
    }

    @Override
    public GroupView current_view() {
        lock.lock();
        try {
            return toIdl(state.view());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public GroupInfo info() {
        lock.lock();
        try {
            return new GroupInfo(name, descriptor, toIdl(state.view()), state.messagesSequenced(),
                    state.viewsInstalled());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The events of a view change: the order of every message that was still unordered (the
     * flush: a departing member's messages come before the view that removes it), then the
     * UpdateView.
     */
    private List<Any> updateView(GroupState.ViewChange c) {
        liveMembers.clear();
        for (GroupState.Member m : c.view().members()) {
            liveMembers.put(m.id, m);
        }
        currentViewId = c.view().id();
        List<JoinGroup> joined = new ArrayList<>();
        for (GroupState.Member m : c.joined()) {
            joined.add(new JoinGroup(info(m)));
        }
        List<LeaveGroup> left = new ArrayList<>();
        for (GroupState.Member m : c.left()) {
            left.add(new LeaveGroup(info(m), LeaveKind.LEFT));
        }
        for (GroupState.Member m : c.crashed()) {
            left.add(new LeaveGroup(info(m), LeaveKind.CRASHED));
        }
        FastAny a = FastAny.ofStruct(orb, UpdateViewHelper.type(), GroupCodecs.VIEW, new UpdateView(c.sequenceId(),
                toIdl(c.view()), joined.toArray(new JoinGroup[0]), left.toArray(new LeaveGroup[0])));
        List<Any> events = new ArrayList<>(2);
        if (!c.flushed().isEmpty()) {
            LOG.debug("group {}: view {} flushes {} unordered messages", name, c.view().id(), c.flushed().size());
        }
        List<SequenceMessage> order = new ArrayList<>(c.flushed().size());
        for (GroupState.Ordered o : c.flushed()) {
            order.add(sequenceMessage((Message) o.message(), o.sequenceId()));
            placed(o.ref(), o.sequenceId());
        }
        addOrder(events, order);
        events.add(a);
        return events;
    }

    // the struct itself, written by its helper for each consumer (no copy; never changed after this)
    private Any any(Message m) {
        return FastAny.ofStruct(orb, MessageHelper.type(), GroupCodecs.MESSAGE, m);
    }

    /**
     * These Messages of one send call as one event, then clears the list: a Message for one, a
     * MessageList for several (one event per call, not per message: the channel's work and its
     * flow control go by events and their weight), none for none.
     */
    private void addMessages(List<Any> events, List<Message> sent) {
        if (sent.size() == 1) {
            events.add(any(sent.get(0)));
        } else if (!sent.isEmpty()) {
            events.add(FastAny.ofStruct(orb, MessageListHelper.type(), GroupCodecs.MESSAGE_LIST,
                    sent.toArray(new Message[0])));
        }
        sent.clear();
    }

    /** The order of these messages, as one SequenceMessageList event (none if empty). */
    private void addOrder(List<Any> events, List<SequenceMessage> order) {
        if (!order.isEmpty()) {
            events.add(FastAny.ofStruct(orb, SequenceMessageListHelper.type(), GroupCodecs.SEQUENCE_LIST,
                    order.toArray(new SequenceMessage[0])));
        }
    }

    /**
     * Publishes under the group's lock, without waiting: flow control holds a send or an order
     * back before it takes the lock ({@link #lockWhenFlowOpen}), so that views, the reaper and
     * every other call never wait behind a sender that a slow member holds back.
     */
    private void publish(List<Any> list) {
        Any[] events = list.toArray(new Any[0]);
        channelCore.publishNow(events, events.length);
    }

    /**
     * Takes the group's lock once flow control lets a sender publish (or its time-out, the
     * channel's flow time-out, has run out): waits outside the lock, and checks again inside it,
     * since another sender may have published in between.
     */
    private void lockWhenFlowOpen() {
        lock.lock();
        if (channelCore.flowOpen()) {
            return; // the usual case
        }
        lock.unlock();
        // one sender waits at a time, as when the wait was inside the group's lock: at most one
        // call goes ahead per flow time-out, not every waiting sender's at once
        flowGate.lock();
        try {
            long deadline = System.nanoTime() + channelCore.flowTimeoutNanos();
            while (true) {
                boolean open = channelCore.awaitFlow(deadline - System.nanoTime());
                lock.lock();
                if (!open) {
                    channelCore.countFlowTimeout();
                    return;
                }
                if (channelCore.flowOpen()) {
                    return;
                }
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.omg.CORBA.TRANSIENT("Troupe: server shutting down");
        } finally {
            flowGate.unlock();
        }
    }

    private static MemberInfo info(GroupState.Member m) {
        return new MemberInfo(m.id, m.name, m.role);
    }

    private static GroupView toIdl(GroupState.View v) {
        MemberInfo[] members = new MemberInfo[v.members().size()];
        for (int i = 0; i < members.length; i++) {
            members[i] = info(v.members().get(i));
        }
        return new GroupView(v.id(), members, v.complete(), v.sequencer());
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isEmpty() || s.length() > MAX_NAME) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: " + what + " must be 1-" + MAX_NAME + " characters");
        }
    }
}
