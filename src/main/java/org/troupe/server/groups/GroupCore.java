package org.troupe.server.groups;

import java.util.ArrayList;
import java.util.List;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.RoleDef;
import org.troupe.protocol.TypeRule;

/**
 * One group's state and rules as a deterministic state machine, free of CORBA: {@link #apply}
 * takes one {@link GroupCommand} at a time and answers an {@link Outcome}: the command's result
 * or why it was refused, and the {@link GroupEvent}s to publish, in order. Time is an input (each
 * command carries it) and so is every random token: two cores given the same commands in the same
 * order produce the same outcomes. It is not thread-safe: its owner applies commands one at a
 * time (a lock on one server, the replicated log's apply thread in a cluster) and publishes each
 * outcome's events before the next command.
 *
 * <pre>
 *   command ──> Admission ───────> Membership (who, views) ──┐
 *               (token, role,      PatternTracker (queries,  ├──> Outcome: result | refusal,
 *                type, size, ids)   turns)                   │            events to publish
 *                                  Sequencer (one sequence,  │
 *                                   member-held order, flush)┘
 * </pre>
 */
public final class GroupCore {
    private final String name;
    private final ApplicationProtocol protocol;
    private final boolean impliedOrder;
    private final Admission admission;
    private final Membership membership;
    private final Sequencer sequencer = new Sequencer();
    private final PatternTracker patterns;
    private final GroupTraffic traffic = new GroupTraffic();
    private final ViewHistory history = new ViewHistory();
    /** The latest time a command carried: the group's clock never goes back. */
    private long clock = Long.MIN_VALUE;

    /**
     * @param name the group's name, for refusals
     * @param protocol its application protocol
     * @param impliedOrder true: responses and turns take their implied place and skip the sequencer
     * @param maxPayload the largest payload of one message, in octets
     */
    public GroupCore(String name, ApplicationProtocol protocol, boolean impliedOrder, int maxPayload) {
        this.name = name;
        this.protocol = protocol;
        this.impliedOrder = impliedOrder;
        this.admission = new Admission(name, protocol, maxPayload);
        List<Membership.RoleLimit> roles = new ArrayList<>();
        for (RoleDef r : protocol.roles()) {
            roles.add(new Membership.RoleLimit(r.name(), r.min(), r.max()));
        }
        this.membership = new Membership(roles);
        this.patterns = new PatternTracker(protocol);
    }

    public String name() {
        return name;
    }

    public ApplicationProtocol protocol() {
        return protocol;
    }

    public boolean impliedOrder() {
        return impliedOrder;
    }

    /** Applies one command; never throws for a refusal (the outcome says it). */
    public Outcome apply(GroupCommand command) {
        if (command instanceof GroupCommand.Delivered d) { // any server issues it: its time is not the group's
            try {
                return delivered(d);
            } catch (Admission.Refused e) {
                return Outcome.refused(e.refusal);
            }
        }
        if (command instanceof GroupCommand.Pusher p) { // the same
            try {
                return pusher(p);
            } catch (Admission.Refused e) {
                return Outcome.refused(e.refusal);
            }
        }
        long now = command.now() - clock < 0 && clock != Long.MIN_VALUE ? clock : command.now();
        clock = now;
        try {
            if (command instanceof GroupCommand.Send s) {
                return send(s, now);
            }
            if (command instanceof GroupCommand.Order o) {
                return order(o, now);
            }
            if (command instanceof GroupCommand.Join j) {
                return join(j, now);
            }
            if (command instanceof GroupCommand.Leave l) {
                return leave(l);
            }
            if (command instanceof GroupCommand.Remove r) {
                return remove(r, now);
            }
            throw new IllegalArgumentException("unknown command " + command);
        } catch (Admission.Refused e) {
            return Outcome.refused(e.refusal);
        }
    }

    // ---- membership -------------------------------------------------------------------------

    /**
     * Where each hosted member's client is (the highest sequence id it was given), for a server
     * that takes the member over; only current members, at most one entry each.
     */
    private final java.util.TreeMap<Long, Long> deliveredTo = new java.util.TreeMap<>();

    /**
     * Each push member's callback and the claim of the server that calls it; only current
     * members, at most one entry each.
     */
    private final java.util.TreeMap<Long, PushRecord> pushRecords = new java.util.TreeMap<>();

    /**
     * A push member's callback (a stringified IOR), the claim ({@link GroupCommand.Pusher}) of
     * the one server that calls it, and a version that every claim and every renewal of that
     * claim's lease (an accepted {@link GroupCommand.Delivered} naming it) increments.
     */
    public record PushRecord(String callback, String pusher, long version) {
    }

    private Outcome delivered(GroupCommand.Delivered c) {
        admission.requireMember(membership, c.member(), c.token(), "was removed from group " + name);
        if (!c.pusher().isEmpty()) {
            PushRecord p = pushRecords.get(c.member());
            if (p == null || !p.pusher().equals(c.pusher())) {
                throw new Admission.Refused(new Refusal.NotMember(c.member(), "member " + c.member()
                        + "'s callback is no longer called by " + c.pusher() + " (another server took it over)"));
            }
            pushRecords.put(c.member(), new PushRecord(p.callback(), p.pusher(), p.version() + 1));
        }
        deliveredTo.merge(c.member(), c.sequenceId(), Math::max);
        forgetDeparted();
        return new Outcome(null, null, List.of());
    }

    private Outcome pusher(GroupCommand.Pusher c) {
        admission.requireMember(membership, c.member(), c.token(), "was removed from group " + name);
        Admission.requireText(c.pusher(), "pusher");
        if (c.callback() == null || c.callback().isEmpty() || c.callback().length() > CommandCodec.MAX_LONG_UTF / 4) {
            throw new Admission.Refused(new Refusal.BadRequest("a push member's callback reference must be 1-"
                    + CommandCodec.MAX_LONG_UTF / 4 + " characters"));
        }
        PushRecord p = pushRecords.get(c.member());
        if (c.expectedVersion() >= 0 && (p == null || p.version() != c.expectedVersion())) {
            throw new Admission.Refused(new Refusal.NotMember(c.member(), "member " + c.member()
                    + "'s push record is at version " + (p == null ? "none" : Long.toString(p.version()))
                    + ", not " + c.expectedVersion() + ": its pusher renewed its lease or another server claimed it"));
        }
        pushRecords.put(c.member(), new PushRecord(c.callback(), c.pusher(), p == null ? 1 : p.version() + 1));
        forgetDeparted();
        return new Outcome(null, null, List.of());
    }

    private void forgetDeparted() {
        deliveredTo.keySet().removeIf(id -> membership.current(id) == null);
        pushRecords.keySet().removeIf(id -> membership.current(id) == null);
    }

    /** Push member {@code id}'s record (callback, pusher, version), or null (a pull member, or none). */
    public PushRecord pushRecord(long id) {
        return membership.current(id) == null ? null : pushRecords.get(id);
    }

    /**
     * True for a hosted member that another server may take over if its own server dies (its
     * client's position or its callback's claim is recorded): losing its channel consumer is then
     * no sign of its own failure.
     */
    public boolean movesBetweenServers(long id) {
        return membership.current(id) != null && (pushRecords.containsKey(id) || deliveredTo.containsKey(id));
    }

    /** The current members that have a push record, in id order. */
    public List<Long> pushMembers() {
        List<Long> out = new ArrayList<>();
        for (Long id : pushRecords.keySet()) {
            if (membership.current(id) != null) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * The highest sequence id the client of hosted member {@code id} is known to have been given
     * ({@link GroupCommand.Delivered}), or -1 if none was recorded.
     */
    public long deliveredTo(long id) {
        Long seq = deliveredTo.get(id);
        return seq == null ? -1 : seq;
    }

    private Outcome join(GroupCommand.Join c, long now) {
        Admission.requireText(c.requestId(), "request_id");
        Admission.requireText(c.name(), "name");
        Membership.Joined earlier = membership.earlierJoin(c.requestId());
        if (earlier != null) { // a retried request: the same ticket, nothing applied twice
            return retried(earlier, c.name(), c.role());
        }
        Admission.requireText(c.token(), "token");
        Admission.requireNames(c.name(), c.role());
        admission.checkJoin(membership, c.name(), c.role());
        Membership.Member m = membership.admit(c.requestId(), c.name(), c.role(), c.volunteer(), c.token());
        List<GroupEvent> events = new ArrayList<>(2);
        GroupEvent.ViewInstalled v = changeView(events, List.of(m), List.of(), List.of(), java.util.Map.of());
        Ticket ticket = new Ticket(m.info, m.token, v.view(), v.sequenceId(), patterns.turnPositions(), false);
        membership.rememberJoin(m, ticket);
        return new Outcome(ticket, null, events);
    }

    /** The answer to a join retried with the request id of an earlier one. */
    private Outcome retried(Membership.Joined earlier, String memberName, String role) {
        Admission.checkSameJoin(earlier, memberName, role);
        if (membership.current(earlier.member().id) == null) {
            throw new Admission.Refused(new Refusal.Gone("join: member " + earlier.member().id
                    + " of this request has left group " + name + " (or was removed); a new join needs a new"
                    + " request_id"));
        }
        Ticket t = earlier.ticket();
        return new Outcome(new Ticket(t.member(), t.token(), t.view(), t.viewSequenceId(), t.turnPositions(), true),
                null, List.of());
    }

    /**
     * What a join would answer now, without applying anything: the earlier ticket for a retried
     * request, a refusal, or null if it would admit a new member (checked before the joiner's
     * consumer is called, so that a refused or retried join costs nothing).
     */
    public Outcome previewJoin(String requestId, String memberName, String role) {
        try {
            Admission.requireText(requestId, "request_id");
            Admission.requireText(memberName, "name");
            Membership.Joined earlier = membership.earlierJoin(requestId);
            if (earlier != null) {
                return retried(earlier, memberName, role);
            }
            Admission.requireNames(memberName, role);
            admission.checkJoin(membership, memberName, role);
            return null;
        } catch (Admission.Refused e) {
            return Outcome.refused(e.refusal);
        }
    }

    private Outcome leave(GroupCommand.Leave c) {
        Membership.Member m = membership.proven(c.member(), c.token());
        if (m == null) {
            if (membership.departedWith(c.member(), c.token())) {
                return new Outcome(null, null, List.of()); // a retried leave, or already removed
            }
            throw new Admission.Refused(new Refusal.NotMember(c.member(), "no member " + c.member()
                    + " with this token in group " + name));
        }
        membership.depart(m);
        traffic.countRemoval(RemovalReason.LEFT);
        List<GroupEvent> events = new ArrayList<>(2);
        changeView(events, List.of(), List.of(), List.of(m), java.util.Map.of());
        return new Outcome(m.info, null, events);
    }

    /** Removes, as crashed, the members the liveness decision names (those still in), and closes timed-out queries. */
    private Outcome remove(GroupCommand.Remove c, long now) {
        traffic.countQueryTimeouts(patterns.expire(now));
        List<Membership.Member> crashed = new ArrayList<>();
        java.util.Map<Long, String> why = new java.util.HashMap<>();
        for (GroupCommand.Removal r : c.removals()) {
            Membership.Member m = membership.current(r.member());
            if (m != null && !crashed.contains(m)) {
                crashed.add(m);
                why.put(m.id, r.reason());
                traffic.countRemoval(RemovalReason.ofLiveness(r.reason()));
            }
        }
        if (crashed.isEmpty()) {
            return new Outcome(List.of(), null, List.of());
        }
        for (Membership.Member m : crashed) {
            membership.depart(m);
        }
        List<GroupEvent> events = new ArrayList<>(2);
        changeView(events, List.of(), crashed, List.of(), why);
        List<MemberInfo> removed = new ArrayList<>(crashed.size());
        crashed.forEach(m -> removed.add(m.info));
        return new Outcome(removed, null, events);
    }

    /**
     * Installs the next view: first the order of every message still unordered (the flush: a
     * departing member's messages come before the view that removes it), then the view.
     */
    private GroupEvent.ViewInstalled changeView(List<GroupEvent> events, List<Membership.Member> joined,
            List<Membership.Member> crashed, List<Membership.Member> left, java.util.Map<Long, String> why) {
        List<Order> flushed = sequencer.flush();
        for (Order o : flushed) {
            placed(o.ref(), o.sequenceId());
        }
        if (!flushed.isEmpty()) {
            events.add(new GroupEvent.Orders(flushed));
        }
        long seq = sequencer.nextForView();
        long holderBefore = membership.view().sequencer();
        View view = membership.install(seq);
        if (view.sequencer() != holderBefore) {
            traffic.countHandOver();
        }
        GroupEvent.ViewInstalled v = new GroupEvent.ViewInstalled(seq, view, infos(joined), infos(left),
                infos(crashed));
        events.add(v);
        remember(view, joined, crashed, left, why);
        return v;
    }

    /** Keeps the view change for operators (see {@link ViewHistory}); the wall clock is read here, not replicated. */
    private void remember(View view, List<Membership.Member> joined, List<Membership.Member> crashed,
            List<Membership.Member> left, java.util.Map<Long, String> why) {
        List<ViewHistory.Change> changes = new ArrayList<>(joined.size() + crashed.size() + left.size());
        for (Membership.Member m : joined) {
            changes.add(new ViewHistory.Change(m.info, ViewHistory.Cause.JOINED, null));
        }
        for (Membership.Member m : left) {
            changes.add(new ViewHistory.Change(m.info, ViewHistory.Cause.LEFT, null));
        }
        for (Membership.Member m : crashed) {
            String reason = why.get(m.id);
            changes.add(new ViewHistory.Change(m.info,
                    ViewHistory.Cause.ofRemoval(RemovalReason.ofLiveness(reason), reason), reason));
        }
        history.record(new ViewHistory.ViewChange(view.id(), System.currentTimeMillis(), changes));
    }

    private static List<MemberInfo> infos(List<Membership.Member> ms) {
        List<MemberInfo> out = new ArrayList<>(ms.size());
        for (Membership.Member m : ms) {
            out.add(m.info);
        }
        return out;
    }

    // ---- messages ---------------------------------------------------------------------------

    private Outcome send(GroupCommand.Send c, long now) {
        List<Envelope> messages = c.messages();
        Admission.checkCallSize(messages.size(), false);
        Membership.Member m = admission.requireMember(membership, c.member(), c.token(),
                "is no longer in group " + name + ": it cannot send");
        TypeRule[] rules = new TypeRule[messages.size()];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = admission.check(membership, m, messages, i);
        }
        long expected = m.nextMessageId;
        if (!messages.isEmpty() && messages.get(0).messageId() > expected) {
            throw new Admission.Refused(new Refusal.BadMessage(0, "message_id " + messages.get(0).messageId()
                    + " but " + expected + " was expected: message ids go 1, 2, 3 ... per sender"));
        }
        // ids below the expected one were taken already (a retried send): skipped, not applied twice
        int first = messages.isEmpty() ? 0 : (int) Math.min(messages.size(), expected - messages.get(0).messageId());
        List<GroupEvent> events = new ArrayList<>(4);
        List<Envelope> sent = new ArrayList<>(messages.size() - first); // sequenced, not yet in events
        List<Order> order = new ArrayList<>(messages.size() - first);
        boolean memberOrders = membership.view().sequencer() != 0;
        for (int i = first; i < messages.size(); i++) {
            Envelope msg = messages.get(i);
            TypeRule rule = rules[i];
            Ref ref = new Ref(m.id, msg.messageId());
            long dependency = 0;
            int turnPattern = -1;
            Address to = msg.destination();
            if (rule.kind() == TypeRule.Kind.REACTIVE) {
                boolean toQuerier = rule.toQuerier() && rule.receivers().isEmpty();
                if (toQuerier) {
                    Admission.checkToQuerier(msg, i);
                }
                PatternTracker.OpenQuery q = respond(msg, rule, m.id, i, now);
                if (toQuerier) {
                    to = Address.member(q.querier);
                }
                dependency = q.point;
            } else if (rule.kind() == TypeRule.Kind.TURN) {
                try {
                    turnPattern = patterns.turn(msg.type(), m.role);
                } catch (PatternTracker.NotYourTurn e) {
                    throw new Admission.Refused(new Refusal.OutOfTurn(i, msg.type(), e.expectedRole));
                }
                dependency = patterns.turnPoint(turnPattern);
            }
            if (rule.isQuery()) {
                patterns.opened(ref, rule, m.id, now);
            }
            if (rule.ordering(impliedOrder) == TypeRule.Ordering.TOTAL) {
                Envelope stamped = msg.sequencedFrom(m.id, to); // stamped: a member cannot send as another
                sent.add(stamped);
                if (memberOrders) {
                    sequencer.hold(stamped, now);
                } else {
                    long seq = sequencer.nextForMessage();
                    order.add(new Order(stamped, seq));
                    placed(ref, seq);
                    if (turnPattern >= 0) {
                        patterns.turnPlaced(turnPattern, seq);
                    }
                }
            } else {
                // implied order: after what it depends on, after the sender's earlier messages
                // (ordered now if a member sequencer has not yet), and in the current view
                for (Order o : sequencer.orderHeldOf(m.id)) {
                    order.add(o);
                    placed(o.ref(), o.sequenceId());
                }
                flushInto(events, sent, order);
                long after = Math.max(Math.max(dependency, m.point), membership.viewSequenceId());
                m.point = after;
                patterns.placed(ref, after);
                if (turnPattern >= 0) {
                    patterns.turnPlaced(turnPattern, after);
                }
                events.add(new GroupEvent.Messages(List.of(msg.impliedFrom(m.id, after, to))));
            }
        }
        flushInto(events, sent, order);
        long octets = 0;
        for (int i = first; i < messages.size(); i++) {
            byte[] p = messages.get(i).payload();
            octets += p == null ? 0 : p.length;
        }
        traffic.sent(messages.size() - first, octets);
        m.nextMessageId = expected + (messages.size() - first);
        return new Outcome(first, null, events);
    }

    /** The messages of a send so far as one event, then their order as one event; clears both. */
    private static void flushInto(List<GroupEvent> events, List<Envelope> sent, List<Order> order) {
        if (!sent.isEmpty()) {
            events.add(new GroupEvent.Messages(sent));
            sent.clear();
        }
        if (!order.isEmpty()) {
            events.add(new GroupEvent.Orders(order));
            order.clear();
        }
    }

    private PatternTracker.OpenQuery respond(Envelope msg, TypeRule rule, long member, int index, long now) {
        try {
            return patterns.respond(rule, msg.answers(), member, now, membership::countInRole);
        } catch (PatternTracker.Refused e) {
            throw new Admission.Refused(new Refusal.ResponseRefused(index, msg.answers(), "group " + name
                    + " refuses this " + msg.type() + ": " + e.getMessage()));
        }
    }

    /** A message got sequence id {@code seq}: its query (if it is one) and its sender learn it. */
    private void placed(Ref ref, long seq) {
        patterns.placed(ref, seq);
        Membership.Member sender = membership.current(ref.source());
        if (sender != null && sender.point < seq) {
            sender.point = seq;
        }
    }

    private Outcome order(GroupCommand.Order c, long now) {
        List<Ref> refs = c.refs();
        Admission.checkCallSize(refs.size(), true);
        Membership.Member m = admission.requireMember(membership, c.member(), c.token(),
                "is no longer in group " + name + ": it cannot order");
        if (membership.view().sequencer() != m.id) {
            throw new Admission.Refused(new Refusal.NotSequencer(membership.view().sequencer()));
        }
        for (int i = 0; i < refs.size(); i++) {
            Ref r = refs.get(i);
            if (r.messageId() < 1 || r.messageId() >= membership.nextMessageId(r.source())) {
                throw new Admission.Refused(new Refusal.BadOrder(i, "message " + r + " was never published"));
            }
        }
        List<Order> order = new ArrayList<>(refs.size());
        for (Ref r : refs) {
            if (sequencer.isHeld(r)) { // else ordered already (a retried call, a flush): skipped
                Order o = sequencer.order(r, now);
                order.add(o);
                placed(r, o.sequenceId());
            }
        }
        return new Outcome(null, null, order.isEmpty() ? List.of() : List.of(new GroupEvent.Orders(order)));
    }

    // ---- snapshots ----------------------------------------------------------------------------

    /**
     * Writes the core's whole state: a core of the same group (same protocol and settings) that
     * reads it back applies later commands exactly as this one does. Its log can then be dropped
     * up to here.
     */
    public void writeSnapshot(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(SNAPSHOT_FORMAT);
        out.writeLong(clock);
        membership.write(out);
        sequencer.write(out);
        patterns.write(out);
        out.writeInt(deliveredTo.size());
        for (java.util.Map.Entry<Long, Long> e : deliveredTo.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeInt(pushRecords.size());
        for (java.util.Map.Entry<Long, PushRecord> e : pushRecords.entrySet()) {
            out.writeLong(e.getKey());
            CommandCodec.writeLongUTF(out, e.getValue().callback());
            out.writeUTF(e.getValue().pusher());
            out.writeLong(e.getValue().version());
        }
    }

    /** Replaces this core's state with a snapshot's (see {@link #writeSnapshot}). */
    public void readSnapshot(java.io.DataInput in) throws java.io.IOException {
        int format = in.readInt();
        if (format < 2 || format > SNAPSHOT_FORMAT) {
            throw new java.io.IOException("group snapshot format " + format + ", expected " + SNAPSHOT_FORMAT);
        }
        clock = in.readLong();
        membership.read(in);
        sequencer.read(in);
        patterns.read(in);
        deliveredTo.clear();
        if (format >= 3) { // format 2 had no hosted members' positions
            int n = CommandCodec.count(in);
            for (int i = 0; i < n; i++) {
                deliveredTo.put(in.readLong(), in.readLong());
            }
        }
        pushRecords.clear();
        if (format >= 4) { // format 3 had no push records
            int n = CommandCodec.count(in);
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                String callback = CommandCodec.readLongUTF(in);
                String pusher = in.readUTF();
                pushRecords.put(id, new PushRecord(callback, pusher, in.readLong()));
            }
        }
    }

    /** 4: with push members' records; 3: with hosted members' positions; 2: neither. */
    private static final int SNAPSHOT_FORMAT = 4;

    // ---- what the core tells its owner --------------------------------------------------------

    /** The current view. */
    public View view() {
        return membership.view();
    }

    /** The sequence id of the current view. */
    public long viewSequenceId() {
        return membership.viewSequenceId();
    }

    /** The highest sequence id given so far (0: none). */
    public long lastSequenceId() {
        return sequencer.lastSequenceId();
    }

    public long messagesSequenced() {
        return sequencer.messagesSequenced();
    }

    public long viewsInstalled() {
        return membership.viewsInstalled();
    }

    /** What this copy of the group applied: messages, octets, removals by reason (thread-safe reads). */
    public GroupTraffic traffic() {
        return traffic;
    }

    /** The latest view changes this copy applied (bounded; thread-safe reads). */
    public ViewHistory history() {
        return history;
    }

    /** The view id if {@code token} proves member {@code member}, else a refusal's reason (NotMember). */
    public Refusal.NotMember checkMember(long member, String token) {
        try {
            admission.requireMember(membership, member, token, "was removed from group " + name
                    + " (left, silent too long, or cut off by the group's channel as too slow or unreachable)");
            return null;
        } catch (Admission.Refused e) {
            return (Refusal.NotMember) e.refusal;
        }
    }

    /** The current member with this id (null if none), and whether it volunteered for the sequencer. */
    public MemberInfo member(long id) {
        Membership.Member m = membership.current(id);
        return m == null ? null : m.info;
    }

    /** The id the next message of current member {@code id} must have (1 if it sent none). */
    public long nextMessageId(long id) {
        return membership.nextMessageId(id);
    }

    /** The join token of current member {@code id}, or null if it is not a member now. */
    public String token(long id) {
        Membership.Member m = membership.current(id);
        return m == null ? null : m.token;
    }

    /** True if current member {@code id} volunteered to hold the sequencer. */
    public boolean volunteers(long id) {
        Membership.Member m = membership.current(id);
        return m != null && m.volunteer;
    }

    /** The current members' tokens, for a liveness tracker that starts (or restarts) watching them. */
    public java.util.Map<Long, String> memberTokens() {
        java.util.Map<Long, String> out = new java.util.LinkedHashMap<>();
        for (Membership.Member m : membership.members()) {
            out.put(m.id, m.token);
        }
        return out;
    }

    /**
     * True if a member holds the sequencer and a message has waited for it since before
     * {@code deadline}: it holds the group's total order up (it orders nothing, or not everyone's).
     */
    public boolean sequencerStalledSince(long deadlineNanos) {
        return membership.view().sequencer() != 0 && sequencer.stalledSince(deadlineNanos);
    }

    /** True if some open query is past its time-out (a {@link GroupCommand.Remove} closes it). */
    public boolean queriesExpiredAt(long nowNanos) {
        return patterns.anyExpired(nowNanos);
    }

    /** Entries kept for departed members and their joins (bounded). */
    int departedRemembered() {
        return membership.departedRemembered();
    }

    /** Open queries (bounded). */
    int openQueries() {
        return patterns.openQueries();
    }

    /** Messages waiting for the member sequencer. */
    public int unordered() {
        return sequencer.held();
    }
}
