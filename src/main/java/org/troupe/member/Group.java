package org.troupe.member;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.ChannelStats;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.Turn;
import org.troupe.member.model.View;
import org.troupe.member.stack.Handoff;
import org.troupe.member.stack.ProtocolStack;
import org.troupe.member.stack.QueryRecord;
import org.troupe.member.stack.StackEvent;
import org.troupe.member.stack.StackRefusal;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.SystemTypes;
import org.troupe.protocol.TypeRule;

/**
 * A member's handle on a group, from {@link Troupe#join}. Sends go out in order (FIFO per
 * sender) and are delivered to every member in one total order, views included; deliveries come
 * by {@link #receive} or by the listener given in {@link JoinOptions}. Thread-safe.
 *
 * <p>The application side of the member's stack: it acts on the stack only with events down
 * (sends, a flush, the leave) and learns from it only what the top hands over ({@link Handoff}:
 * deliveries and the work that goes with them, state requests to send, the view, the next turns).
 */
public final class Group implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Group.class);

    private final String name;
    private final MemberInfo me;
    private final ProtocolStack stack;
    private final Handoff handoff;
    private final ChannelStats stats;
    private final ApplicationProtocol protocol;
    private final SendChecks checks;
    private final Receiver receiver;
    private final LongSupplier clock;
    private final ReentrantLock sendLock = new ReentrantLock();
    private long nextMessageId = 1;
    private final Thread listenerThread;
    private final boolean inline;
    private volatile boolean closed;

    /**
     * A joined member's group: {@code handoff} is its stack's top, {@code requestsState} whether
     * its stack asks for the group's state (it then sends the requests on a thread of its own).
     */
    Group(String name, MemberInfo me, ProtocolStack stack, Handoff handoff, ChannelStats stats,
            ApplicationProtocol protocol, long maxPayload, GroupListener listener, InlineDelivery inline,
            LongSupplier clock, StateProvider stateProvider, boolean requestsState) {
        this.name = name;
        this.me = me;
        this.stack = stack;
        this.handoff = handoff;
        this.stats = stats;
        this.protocol = protocol;
        this.checks = new SendChecks(name, protocol, me.role(), maxPayload);
        this.receiver = new Receiver(name, handoff, new StateCapture(name, stateProvider, maxPayload, this::sendSystem));
        this.clock = clock;
        this.listenerThread = listener == null || inline != null ? null
                : start("deliver", () -> receiver.listen(listener));
        this.inline = inline != null;
        if (inline != null) {
            inline.bind(receiver);
        }
        if (requestsState) {
            start("state", this::sendStateRequests);
        }
    }

    /** A resumed member goes on with the message ids after those its earlier stack sent. */
    void continueAt(long firstMessageId) {
        sendLock.lock();
        try {
            nextMessageId = firstMessageId;
        } finally {
            sendLock.unlock();
        }
    }

    private Thread start(String what, Runnable r) {
        Thread t = new Thread(r, "troupe-" + name + "-" + what);
        t.setDaemon(true);
        t.start();
        return t;
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
        return handoff.view();
    }

    /** The layers of this member's stack, bottom to top (built from the group's protocol). */
    public List<String> layers() {
        return stack.describe();
    }

    /** The first layer of this type in this member's stack, or null: for tests that read a layer's counters. */
    <T extends org.troupe.member.stack.Layer> T layer(Class<T> type) {
        return stack.layer(type);
    }

    /** What this member's channel consumer has received so far, per message type. */
    public ChannelStats channelStats() {
        return stats;
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
        TypeRule rule = check(type, payload, destination);
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
        TypeRule rule = check(type, payload, destination);
        if (!rule.isQuery() || !protocol.hasQueries()) {
            throw new TroupeException("a " + type + " is not a query of group " + name + "'s protocol "
                    + protocol.name() + " (no response answers it): send it with send()");
        }
        Query[] q = new Query[1];
        send(new Outgoing(type, payload, destination, true, 0, 0), rule.kind() != TypeRule.Kind.PROACTIVE, id -> {
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
        TypeRule rule = check(type, payload, Destination.group());
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
        return handoff.turn(type);
    }

    private record Outgoing(String type, byte[] payload, Destination destination, boolean proactive,
            long answersSource, long answersId) {
    }

    private TypeRule check(String type, byte[] payload, Destination destination) throws TroupeException {
        checkOpen();
        return checks.check(type, payload, destination);
    }

    /** Gives the message the next id and sends it down the stack, with its query's record if any. */
    private long send(Outgoing o, boolean now, LongFunction<QueryRecord> queryFor) throws TroupeException {
        sendLock.lock();
        try {
            long id = nextMessageId;
            QueryRecord query = queryFor == null ? null : queryFor.apply(id);
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
    private void sendSystem(String type, byte[] payload, Destination destination) throws TroupeException {
        checkOpen();
        send(new Outgoing(type, payload, destination, true, 0, 0), false, null);
    }

    /** Sends the state requests the stack asks for, until the member is out. */
    private void sendStateRequests() {
        while (!isClosed()) {
            StackEvent.RequestState r;
            try {
                r = handoff.nextRequest(500);
            } catch (InterruptedException e) {
                return;
            }
            if (r == null || isClosed()) {
                continue;
            }
            try {
                sendSystem(SystemTypes.STATE_REQUEST, r.payload(), Destination.member(r.provider()));
            } catch (TroupeException | RuntimeException e) {
                LOG.warn("group {}: state request to member {} not sent: {}", name, r.provider(), e.toString());
            }
        }
    }

    /** Waits until every message sent so far has reached the server, up to {@code timeout}. */
    public boolean flush(Duration timeout) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        stack.down(new StackEvent.Flush(timeout.toMillis(), done));
        return done.getNow(false);
    }

    /** The next delivery, waiting as long as it takes; GroupClosedException once out of the group. */
    public Delivery receive() throws TroupeException, InterruptedException {
        pulling();
        return receiver.receive();
    }

    /** The next delivery, or null if none comes within {@code timeout}. */
    public Delivery receive(Duration timeout) throws TroupeException, InterruptedException {
        pulling();
        return receiver.receive(timeout);
    }

    /** The next delivery if one is waiting, else null (a non-blocking receive). */
    public Delivery poll() throws TroupeException {
        pulling();
        return receiver.poll();
    }

    /** Refuses a pull where every delivery goes to an inline listener (nothing would ever come). */
    private void pulling() {
        if (inline) {
            throw new IllegalStateException("group " + name + " delivers to its inline listener "
                    + "(JoinOptions.listenerInline): receive and poll have nothing to take");
        }
    }

    /** True once out of the group. */
    public boolean isClosed() {
        return closed || handoff.closedReason() != null;
    }

    /** Why this member is out of the group, or null while it is in. */
    public String closedReason() {
        return handoff.closedReason();
    }

    private void checkOpen() throws GroupClosedException {
        String reason = handoff.closedReason();
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
        stack.down(new StackEvent.Leave());
        stack.stop();
        if (listenerThread != null && listenerThread != Thread.currentThread()) {
            try {
                listenerThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops this member's stack WITHOUT leaving the group: another process goes on as this member
     * (a hosted member that another server took over). Nothing is sent any more; the member stays
     * in the view. Idempotent; does nothing after {@link #leave}.
     */
    public void abandon() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
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
