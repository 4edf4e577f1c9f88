package org.troupe.member;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.corba.CorbaTransport;
import org.troupe.member.stack.DeliveryLayer;
import org.troupe.member.stack.ProtocolStack;
import org.troupe.member.stack.StackEvent;

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
    private final Set<String> types;
    private final Set<String> roles;
    private final long maxPayload;
    private final ReentrantLock sendLock = new ReentrantLock();
    private long nextMessageId = 1;
    private final Thread listenerThread;
    private volatile boolean closed;

    Group(String name, MemberInfo me, ProtocolStack stack, CorbaTransport transport, DeliveryLayer delivery,
            List<String> types, List<String> roles, long maxPayload, GroupListener listener) {
        this.name = name;
        this.me = me;
        this.stack = stack;
        this.transport = transport;
        this.delivery = delivery;
        this.types = Set.copyOf(types);
        this.roles = new HashSet<>(roles);
        this.maxPayload = maxPayload;
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

    /** The layers of this member's stack, bottom to top. */
    public List<String> layers() {
        return stack.describe();
    }

    /** Sends to the whole group; returns the message id. */
    public long send(String type, byte[] payload) throws TroupeException {
        return send(type, payload, Destination.group());
    }

    /**
     * Sends {@code payload} as a message of {@code type} to {@code destination}; returns its
     * message id. It returns once the message is queued (the queue is bounded; a full queue
     * waits, then fails); checks the group would refuse are made here, with a clear error.
     */
    public long send(String type, byte[] payload, Destination destination) throws TroupeException {
        return send(type, payload, destination, true, 0, 0);
    }

    long send(String type, byte[] payload, Destination destination, boolean proactive, long answersSource,
            long answersId) throws TroupeException {
        checkOpen();
        if (!types.contains(type)) {
            throw new TroupeException("group " + name + " has no message type '" + type + "' (types: "
                    + String.join(", ", types.stream().sorted().toList()) + ")");
        }
        if (payload.length > maxPayload) {
            throw new TroupeException("payload of " + payload.length + " bytes is over group " + name + "'s limit of "
                    + maxPayload + " bytes");
        }
        if (destination.kind() == Destination.Kind.ROLE && !roles.contains(destination.role())) {
            throw new TroupeException("group " + name + " has no role '" + destination.role() + "'");
        }
        sendLock.lock();
        try {
            long id = nextMessageId;
            stack.down(new StackEvent.Send(new GroupMessage(me.id(), id, destination, type, payload, proactive,
                    answersSource, answersId)));
            nextMessageId++;
            return id;
        } catch (IllegalStateException e) {
            throw new TroupeException(e.getMessage());
        } finally {
            sendLock.unlock();
        }
    }

    /** Waits until every message sent so far has reached the server, up to {@code timeout}. */
    public boolean flush(Duration timeout) {
        return transport.flushSends(timeout.toMillis());
    }

    /** The next delivery, waiting as long as it takes; GroupClosedException once out of the group. */
    public Delivery receive() throws TroupeException, InterruptedException {
        return take(delivery.queue().take());
    }

    /** The next delivery, or null if none comes within {@code timeout}. */
    public Delivery receive(Duration timeout) throws TroupeException, InterruptedException {
        Object o = delivery.queue().poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return o == null ? null : take(o);
    }

    /** The next delivery if one is waiting, else null (seed 000's non-blocking grp_recv). */
    public Delivery poll() throws TroupeException {
        Object o = delivery.queue().poll();
        return o == null ? null : take(o);
    }

    private Delivery take(Object o) throws GroupClosedException {
        if (o instanceof DeliveryLayer.Closed c) {
            delivery.queue().offer(c); // other receivers see it too
            throw new GroupClosedException(c.reason());
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
