package org.troupe.member;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.corba.CorbaTransport;
import org.troupe.member.model.ChannelStats;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.StateTransfer;
import org.troupe.member.model.Turn;
import org.troupe.member.model.View;
import org.troupe.member.model.ViewChange;
import org.troupe.member.stack.CorrelationLayer;
import org.troupe.member.stack.DeliveryLayer;
import org.troupe.member.stack.ProtocolStack;
import org.troupe.member.stack.QueryRecord;
import org.troupe.member.stack.StackEvent;
import org.troupe.member.stack.StackRefusal;
import org.troupe.member.stack.StateChunks;
import org.troupe.member.stack.TurnLayer;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.RoleDef;
import org.troupe.protocol.SystemTypes;
import org.troupe.protocol.TypeRule;

/**
 * A member's handle on a group, from {@link Troupe#join}. Sends go out in order (FIFO per
 * sender) and are delivered to every member in one total order, views included; deliveries come
 * by {@link #receive} or by the listener given in {@link JoinOptions}. Thread-safe.
 */
public final class Group implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Group.class);

    private final String name;
    private final MemberInfo me;
    private final ProtocolStack stack;
    private final CorbaTransport transport;
    private final DeliveryLayer delivery;
    private final ApplicationProtocol protocol;
    private final CorrelationLayer correlation;
    private final TurnLayer turns;
    private final Set<String> roles;
    private final long maxPayload;
    private final LongSupplier clock;
    private final ReentrantLock sendLock = new ReentrantLock();
    private long nextMessageId = 1;
    private final Thread listenerThread;
    private final StateProvider stateProvider;
    private volatile boolean closed;

    Group(String name, MemberInfo me, ProtocolStack stack, CorbaTransport transport, ApplicationProtocol protocol,
            long maxPayload, GroupListener listener, LongSupplier clock, StateProvider stateProvider) {
        this.stateProvider = stateProvider;
        this.name = name;
        this.me = me;
        this.stack = stack;
        this.transport = transport;
        this.delivery = stack.layer(DeliveryLayer.class);
        this.correlation = stack.layer(CorrelationLayer.class);
        this.turns = stack.layer(TurnLayer.class);
        this.protocol = protocol;
        this.roles = new HashSet<>();
        for (RoleDef r : protocol.roles()) {
            roles.add(r.name());
        }
        this.maxPayload = maxPayload;
        this.clock = clock;
        if (listener != null) {
            listenerThread = new Thread(() -> listen(listener), "troupe-" + name + "-deliver");
            listenerThread.setDaemon(true);
            listenerThread.start();
        } else {
            listenerThread = null;
        }
    }

    /** The group's name. */
    public String name() {
        return name;
    }

    /** This member: id, name and role. */
    public MemberInfo me() {
        return me;
    }

    /** The current view: the last one delivered (or the join's). */
    public View view() {
        return delivery.view();
    }

    /** The layers of this member's stack, bottom to top (built from the group's protocol). */
    public List<String> layers() {
        return stack.describe();
    }

    /** What this member's channel consumer has received so far, per message type. */
    public ChannelStats channelStats() {
        return transport.channelStats();
    }

    /** The group's application protocol. */
    public ApplicationProtocol protocol() {
        return protocol;
    }

    /** Sends to the whole group (or, for a type with receivers, to them); returns the message id. */
    public long send(String type, byte[] payload) throws TroupeException {
        return send(type, payload, Destination.group());
    }

    /**
     * Sends {@code payload} as a message of {@code type} to {@code destination}; returns its
     * message id. A proactive message returns once it is queued (the queue is bounded; a full
     * queue waits, then fails). A turn (the card game's Play) is sent at once and returns once
     * the group took it: out of turn, it is refused with {@link RefusedException} and nothing is
     * sent. A response is sent with {@link #reply}. Checks the group would refuse are made here,
     * with a clear error. The payload is copied: the caller may reuse its array at once.
     */
    public long send(String type, byte[] payload, Destination destination) throws TroupeException {
        TypeRule rule = checkSend(type, payload, destination);
        if (rule.kind() == TypeRule.Kind.REACTIVE) {
            throw new TroupeException("a " + type + " is a response (it answers " + String.join(" or ", rule.answers())
                    + "): send it with reply(query, \"" + type + "\", payload)");
        }
        return send(new Outgoing(type, payload, destination, true, 0, 0), rule.kind() == TypeRule.Kind.TURN, null);
    }

    /**
     * Asks a query (a type that opens a message pattern, like the tele-teaching Question) and
     * returns the handle that collects its responses: it completes when they are all in (max,
     * with {@code #Role} counted in the current view) or when the pattern's timeout passes.
     */
    public Query ask(String type, byte[] payload) throws TroupeException {
        return ask(type, payload, Destination.group());
    }

    /** As {@link #ask(String, byte[])}, to {@code destination}. */
    public Query ask(String type, byte[] payload, Destination destination) throws TroupeException {
        TypeRule rule = checkSend(type, payload, destination);
        if (!rule.isQuery() || correlation == null) {
            throw new TroupeException("a " + type + " is not a query of group " + name + "'s protocol "
                    + protocol.name() + " (no response answers it): send it with send()");
        }
        Query[] q = new Query[1];
        send(new Outgoing(type, payload, destination, true, 0, 0), rule.kind() != TypeRule.Kind.PROACTIVE,
                id -> {
                    q[0] = new Query(new QueryRecord(id, type, rule.responses(), clock.getAsLong()));
                    return q[0].record();
                });
        return q[0];
    }

    /**
     * Answers {@code query} (a delivered query, or a delivered response with nested responses)
     * with a response of {@code type}; returns its message id once the group took it. The group
     * refuses, with {@link RefusedException} (and nothing is sent), a response to a query that
     * is closed (complete or timed out) or already has all the responses it admits, and a second
     * response of the same type from this member.
     */
    public long reply(Received query, String type, byte[] payload) throws TroupeException {
        TypeRule rule = checkSend(type, payload, Destination.group());
        if (rule.kind() != TypeRule.Kind.REACTIVE) {
            throw new TroupeException("a " + type + " is not a response in group " + name + "'s protocol: send it"
                    + " with send()");
        }
        if (!rule.answers().contains(query.type())) {
            throw new TroupeException("a " + type + " answers " + String.join(" or ", rule.answers()) + ", not a "
                    + query.type());
        }
        return send(new Outgoing(type, payload, Destination.group(), false, query.message().source(),
                query.message().messageId()), true, null);
    }

    /** The next turn of the turn-based pattern with {@code type}, as this member has delivered it; null if none. */
    public Turn turn(String type) {
        return turns == null ? null : turns.next(type);
    }

    private record Outgoing(String type, byte[] payload, Destination destination, boolean proactive,
            long answersSource, long answersId) {
    }

    private TypeRule checkSend(String type, byte[] payload, Destination destination) throws TroupeException {
        checkOpen();
        TypeRule rule = protocol.rule(type);
        if (SystemTypes.isReserved(type)) {
            throw new TroupeException("message type '" + type + "' is reserved for Troupe's own messages");
        }
        if (rule == null) {
            throw new TroupeException("group " + name + " has no message type '" + type + "' (types: "
                    + String.join(", ", protocol.messageTypes().stream().sorted().toList()) + ")");
        }
        if (!rule.allows(me.role())) {
            List<String> mine = new ArrayList<>();
            for (TypeRule r : protocol.rules().values()) {
                if (r.allows(me.role())) {
                    mine.add(r.type());
                }
            }
            throw new TroupeException("role " + me.role() + " may not send a " + type + " in group " + name
                    + " (only " + String.join(", ", rule.senders()) + " may; " + me.role() + " may send: "
                    + (mine.isEmpty() ? "nothing" : String.join(", ", mine)) + ")");
        }
        if (payload.length > maxPayload) {
            throw new TroupeException("payload of " + payload.length + " bytes is over group " + name + "'s limit of "
                    + maxPayload + " bytes");
        }
        if (destination.kind() == Destination.Kind.ROLE && !roles.contains(destination.role())) {
            throw new TroupeException("group " + name + " has no role '" + destination.role() + "'");
        }
        return rule;
    }

    private long send(Outgoing o, boolean now, java.util.function.LongFunction<QueryRecord> onId)
            throws TroupeException {
        sendLock.lock();
        try {
            long id = nextMessageId;
            QueryRecord query = onId == null ? null : onId.apply(id);
            // the payload is copied: the stack keeps the message until it is delivered here too
            stack.down(new StackEvent.Send(new GroupMessage(me.id(), id, o.destination(), o.type(), o.payload().clone(),
                    o.proactive(), o.answersSource(), o.answersId()), now, query));
            nextMessageId++;
            return id;
        } catch (StackRefusal e) {
            throw new RefusedException(e.getMessage());
        } catch (IllegalStateException e) {
            throw new TroupeException(e.getMessage());
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends one of Troupe's own messages ({@link SystemTypes}): not checked against the protocol. */
    long sendSystem(String type, byte[] payload, Destination destination) throws TroupeException {
        checkOpen();
        return send(new Outgoing(type, payload, destination, true, 0, 0), false, null);
    }

    /**
     * Runs a state capture that reached the application's side of the delivery queue: every
     * earlier delivery was handed over, no later one yet. Replies to the joiner with the state,
     * or with why there is none.
     */
    private void capture(StackEvent.CaptureState c) {
        byte[] state = null;
        String none = null;
        if (stateProvider == null) {
            none = "no state provider";
        } else {
            try {
                state = stateProvider.getState();
                if (state == null) {
                    none = "its state provider returned none";
                }
            } catch (Exception e) {
                LOG.warn("group {}: state provider failed; the joiner asks another member", name, e);
                none = "its state provider failed: " + e;
            }
        }
        try {
            if (state == null) {
                sendSystem(SystemTypes.STATE, StateChunks.none(c.attempt(), c.sequenceId(), none),
                        Destination.member(c.joiner()));
            } else {
                for (byte[] chunk : StateChunks.reply(c.attempt(), c.sequenceId(), c.delivered(), state, maxPayload)) {
                    sendSystem(SystemTypes.STATE, chunk, Destination.member(c.joiner()));
                }
            }
        } catch (TroupeException | IllegalArgumentException e) {
            LOG.warn("group {}: cannot send the state to member {}: {}", name, c.joiner(), e.getMessage());
        }
    }

    /** Waits until every message sent so far has reached the server, up to {@code timeout}. */
    public boolean flush(Duration timeout) {
        return transport.flushSends(timeout.toMillis());
    }

    /** The next delivery, waiting as long as it takes; GroupClosedException once out of the group. */
    public Delivery receive() throws TroupeException, InterruptedException {
        while (true) {
            Delivery d = take(delivery.queue().take());
            if (d != null) {
                return d;
            }
        }
    }

    /** The next delivery, or null if none comes within {@code timeout}. */
    public Delivery receive(Duration timeout) throws TroupeException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object o = delivery.queue().poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (o == null) {
                return null;
            }
            Delivery d = take(o);
            if (d != null) {
                return d;
            }
        }
    }

    /** The next delivery if one is waiting, else null (seed 000's non-blocking grp_recv). */
    public Delivery poll() throws TroupeException {
        while (true) {
            Object o = delivery.queue().poll();
            if (o == null) {
                return null;
            }
            Delivery d = take(o);
            if (d != null) {
                return d;
            }
        }
    }

    /**
     * The delivery {@code o} is, or null if it was work for the taking thread (a state capture,
     * a query's completion listeners), done here.
     */
    private Delivery take(Object o) throws GroupClosedException {
        if (o instanceof DeliveryLayer.Closed c) {
            delivery.queue().offer(c); // other receivers see it too
            throw new GroupClosedException(c.reason());
        }
        if (o instanceof StackEvent.CaptureState c) {
            capture(c);
            return null;
        }
        if (o instanceof StackEvent.QueryDone q) {
            q.query().runCallbacks();
            return null;
        }
        return (Delivery) o;
    }

    private void listen(GroupListener listener) {
        BlockingQueue<Object> q = delivery.queue();
        while (true) {
            Object o;
            try {
                o = q.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (o instanceof DeliveryLayer.Closed c) {
                    listener.onClosed(c.reason());
                    return;
                } else if (o instanceof Received r) {
                    listener.onMessage(r);
                } else if (o instanceof ViewChange v) {
                    listener.onView(v);
                } else if (o instanceof StateTransfer st) {
                    listener.onState(st);
                } else if (o instanceof StackEvent.CaptureState c) {
                    capture(c);
                } else if (o instanceof StackEvent.QueryDone done) {
                    done.query().runCallbacks();
                }
            } catch (RuntimeException e) {
                LOG.warn("group {}: listener failed on {}; delivery goes on", name, o.getClass().getSimpleName(), e);
            }
        }
    }

    /** True once out of the group. */
    public boolean isClosed() {
        return closed || delivery.closedReason() != null;
    }

    /** Why this member is out of the group, or null while it is in. */
    public String closedReason() {
        return delivery.closedReason();
    }

    private void checkOpen() throws GroupClosedException {
        String reason = delivery.closedReason();
        if (closed || reason != null) {
            throw new GroupClosedException(reason != null ? reason : "left group " + name);
        }
    }

    /** Leaves the group: queued messages are sent first; idempotent. */
    public void leave() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (delivery.closedReason() == null) {
            transport.leave();
        }
        delivery.fail("left group " + name);
        stack.stop();
        if (listenerThread != null && listenerThread != Thread.currentThread()) {
            try {
                listenerThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Same as {@link #leave}. */
    @Override
    public void close() {
        leave();
    }

    @Override
    public String toString() {
        return "Group[" + name + " as " + me + (isClosed() ? ", closed" : "") + "]";
    }

    static String list(String[] names) {
        return String.join(", ", Arrays.asList(names));
    }
}
