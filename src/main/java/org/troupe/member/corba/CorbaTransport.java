package org.troupe.member.corba;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.PortableServer.POA;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.cdr.FastPushDispatch;
import org.troupe.idl.Events.BatchPushConsumerPOA;
import org.troupe.idl.Groups.BadMessage;
import org.troupe.idl.Groups.BadOrder;
import org.troupe.idl.Groups.ForgedSender;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.MessageTooLarge;
import org.troupe.idl.Groups.NotMember;
import org.troupe.idl.Groups.NotSequencer;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.SequenceMessageHelper;
import org.troupe.idl.Groups.SequenceMessageListHelper;
import org.troupe.idl.Groups.TypeNotAllowed;
import org.troupe.idl.Groups.UpdateViewHelper;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.stack.Layer;
import org.troupe.member.stack.ProtocolStack;
import org.troupe.member.stack.StackEvent;
import org.troupe.member.stack.StackRefusal;
import org.troupe.wire.MemberIdl;

/**
 * The bottom of a member's stack, and its only CORBA code. Up: a batch push consumer that the
 * Group Manager connects to the group's channel at join; each event becomes a
 * {@link StackEvent}. Down: bounded queues drained by a sender thread (messages, batched while a
 * call is in flight) and an orderer thread (the sequencer's orders). A heartbeat thread proves
 * the member alive. Calls that fail for transport reasons are retried with the same ids, which
 * the manager applies once; after {@code suspect_ms} of failures the member fails.
 */
public final class CorbaTransport extends Layer {
    private static final Logger LOG = LoggerFactory.getLogger(CorbaTransport.class);
    private static final int PRE_JOIN_LIMIT = 1 << 20;

    /**
     * Sizes of the transport's queues and batches.
     *
     * @param sendQueue messages that may wait to be sent
     * @param maxBatch the most messages one send call carries
     * @param sendQueueBytes payload octets that may wait to be sent (see {@link OctetBudget})
     * @param sendTimeoutMillis how long a send or an order waits for room in a full queue, and
     *        how long a synchronous send or a leave waits for the queued messages to go first
     */
    public record Settings(int sendQueue, int maxBatch, int sendQueueBytes, long sendTimeoutMillis) {
        public Settings {
            if (sendQueue < 1 || maxBatch < 1 || sendQueueBytes < 1 || sendTimeoutMillis < 1) {
                throw new IllegalArgumentException("send queue, batch, bytes and time-out must be positive");
            }
        }
    }

    /**
     * One send call carries more than one message only while their payloads total at most this
     * (1 MiB): a batch of large messages goes in several calls rather than one huge request.
     */
    static final int CALL_PAYLOAD_BYTES = 1 << 20;

    private final ORB orb;
    private final POA poa;
    private final GroupManager manager;
    private final Settings settings;
    private final String groupName;
    private final BlockingQueue<GroupMessage> sendQueue;
    private final OctetBudget queuedOctets; // payload octets the send queue may still take
    private final AtomicInteger unsent = new AtomicInteger(); // queued or being sent (see flushSends)
    private final BlockingQueue<MessageRef> orderQueue;
    private final Consumer consumer = new Consumer();
    private final List<StackEvent> preJoin = new ArrayList<>();
    private ProtocolStack stack;
    private byte[] consumerId;
    private volatile JoinTicket ticket;
    private volatile boolean joined;
    private volatile boolean stopping; // leaving or stopped: no new sends; the send loop drains its queue
    private volatile boolean done; // left (or stopped): the order and heartbeat loops end
    private volatile String failure;
    private final List<Thread> threads = new ArrayList<>();

    static {
        org.troupe.wire.GroupCodecs.install();
    }

    public CorbaTransport(ORB orb, POA poa, GroupManager manager, String groupName, Settings settings) {
        this.orb = orb;
        this.poa = poa;
        this.manager = SizedManagerStub.of(manager); // sends sized once; everything else as the stub does
        this.groupName = groupName;
        this.settings = settings;
        this.sendQueue = new ArrayBlockingQueue<>(settings.sendQueue());
        this.queuedOctets = new OctetBudget(settings.sendQueueBytes());
        this.orderQueue = new ArrayBlockingQueue<>(Math.max(settings.sendQueue(), 65536));
    }

    @Override
    public String name() {
        return "CorbaTransport";
    }

    /** The stack this transport feeds; set once, before {@link #join}. */
    public void attach(ProtocolStack s) {
        this.stack = s;
    }

    /**
     * Joins: connects the consumer (through the manager, before the view is published), sends the
     * stack its Joined event, then the events that came before the ticket, and starts the threads.
     * The IDL exceptions of {@code GroupManager::join} pass through.
     */
    public JoinTicket join(String memberName, String role, boolean volunteer) throws Exception {
        consumerId = poa.activate_object(consumer);
        org.omg.CosEventComm.PushConsumer ref = org.omg.CosEventComm.PushConsumerHelper.narrow(
                poa.id_to_reference(consumerId));
        String requestId = UUID.randomUUID().toString();
        JoinTicket t;
        try {
            // the ordering layer keeps a copy of what this member sends: the channel need not send it
            // back (a sequencer volunteer is sent everything anyway)
            t = retrying("join", () -> manager.join(requestId, memberName, role, ref, volunteer, true), 3000);
        } catch (Exception | Error e) {
            deactivate();
            throw e;
        }
        ticket = t;
        synchronized (preJoin) {
            stack.up(new StackEvent.Joined(t.member, role, t.view_sequence_id, MemberIdl.fromIdl(t.view),
                    t.turn_positions));
            for (StackEvent e : preJoin) {
                stack.up(e);
            }
            preJoin.clear();
            joined = true;
        }
        start("sender", this::sendLoop);
        start("orderer", this::orderLoop);
        start("heartbeat", this::heartbeatLoop);
        return t;
    }

    /** The member id, once joined. */
    public long memberId() {
        return ticket.member;
    }

    /** Leaves the group (idempotent); the stack is then told the member is out. */
    public void leave() {
        if (ticket == null || stopping) {
            return;
        }
        stopping = true;
        // until the leave is done, this member still heartbeats (a long flush must not get it
        // removed as crashed, dropping what is queued) and, holding the sequencer, still orders
        flushSends(settings.sendTimeoutMillis());
        try {
            retrying("leave", () -> {
                manager.leave(ticket.member, ticket.token);
                return null;
            }, ticket.suspect_ms);
        } catch (NotMember e) {
            LOG.debug("leave: {}", e.reason);
        } catch (Exception e) {
            LOG.warn("group {}: leave failed ({}); the server will remove this member when it stops hearing from it",
                    groupName, describe(e));
        } finally {
            done = true;
        }
    }

    /** Waits until every queued message has been handed to the server, up to {@code timeoutMillis}. */
    public boolean flushSends(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (sendQueue) {
            while (unsent.get() > 0 && failure == null) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                try {
                    sendQueue.wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return failure == null;
    }

    @Override
    public void down(StackEvent e) {
        if (e instanceof StackEvent.Send s && s.now()) {
            sendNow(s.message());
        } else if (e instanceof StackEvent.Send s) {
            enqueueSend(s.message());
        } else if (e instanceof StackEvent.Order o) {
            enqueue(orderQueue, new MessageRef(o.source(), o.messageId()), "order");
        } else {
            // nothing else goes to the server
        }
    }

    private <T> void enqueue(BlockingQueue<T> q, T item, String what) {
        String f = failure;
        if (f != null) {
            throw new IllegalStateException(f);
        }
        try {
            if (!q.offer(item, settings.sendTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("group " + groupName + ": " + what + " queue full for "
                        + settings.sendTimeoutMillis() + " ms (the server is not keeping up)");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending");
        }
    }

    /**
     * Queues a message for the send thread, within both bounds: messages and payload octets. It
     * counts as unsent (see {@link #flushSends}) from before it is visible to the send thread
     * until the call that carries it has returned.
     */
    private void enqueueSend(GroupMessage m) {
        String f = failure;
        if (f != null) {
            throw new IllegalStateException(f);
        }
        long deadline = System.nanoTime() + settings.sendTimeoutMillis() * 1_000_000L;
        int cost = queuedOctets.cost(m);
        boolean haveOctets = false;
        boolean queued = false;
        try {
            haveOctets = queuedOctets.take(cost, deadline - System.nanoTime());
            if (haveOctets) {
                unsent.incrementAndGet();
                queued = sendQueue.offer(m, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending");
        } finally {
            if (haveOctets && !queued) {
                queuedOctets.giveBack(cost);
                unsent.decrementAndGet();
            }
        }
        if (!queued) {
            f = failure;
            throw new IllegalStateException(f != null ? f : "group " + groupName + ": send queue full for "
                    + settings.sendTimeoutMillis() + " ms (" + (haveOctets ? settings.sendQueue() + " messages"
                    : queuedOctets.limit() + " payload octets; this message needs " + cost)
                    + "): the server is not keeping up");
        }
    }

    /** Held around every GroupManager::send, so that messages reach the server in message id order. */
    private final Object sendCall = new Object();

    /**
     * Sends one message synchronously, after everything queued before it: a refusal the member
     * can act on (a response the group does not take, a turn out of turn) is thrown back as a
     * {@link StackRefusal} and the member stays in the group.
     */
    private void sendNow(GroupMessage m) {
        String f = failure;
        if (f != null) {
            throw new IllegalStateException(f);
        }
        if (!flushSends(settings.sendTimeoutMillis())) {
            throw new IllegalStateException(failure != null ? failure : "group " + groupName
                    + ": earlier messages not sent within " + settings.sendTimeoutMillis() + " ms");
        }
        try {
            callSend(new Message[] {MemberIdl.toIdl(m)});
        } catch (org.troupe.idl.Groups.ResponseRefused e) {
            throw new StackRefusal(e.reason);
        } catch (org.troupe.idl.Groups.OutOfTurn e) {
            throw new StackRefusal("group " + groupName + " refuses this " + e.message_type + ": out of turn"
                    + (e.expected_role.isEmpty() ? "" : " (it is " + e.expected_role + "'s turn)"));
        } catch (TypeNotAllowed | MessageTooLarge | BadMessage | ForgedSender e) {
            throw new StackRefusal("group " + groupName + " refuses this " + m.type() + ": " + describe(e));
        } catch (NotMember e) {
            fail("removed from group " + groupName + ": " + e.reason);
            throw new IllegalStateException(failure);
        } catch (Exception e) {
            fail("group " + groupName + ": cannot reach the server: " + describe(e));
            throw new IllegalStateException(failure);
        }
    }

    private void sendLoop() {
        List<GroupMessage> batch = new ArrayList<>(settings.maxBatch());
        while (failure == null) {
            try {
                GroupMessage first = sendQueue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping && sendQueue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                sendQueue.drainTo(batch, settings.maxBatch() - 1);
                sendBatch(batch);
            } catch (InterruptedException e) {
                return;
            } catch (NotMember e) {
                fail("removed from group " + groupName + ": " + e.reason);
            } catch (TypeNotAllowed | MessageTooLarge | BadMessage | ForgedSender
                    | org.troupe.idl.Groups.ResponseRefused | org.troupe.idl.Groups.OutOfTurn e) {
                fail("group " + groupName + " refused a message: " + describe(e));
            } catch (Exception e) {
                fail("group " + groupName + ": cannot reach the server: " + describe(e));
            } finally {
                queuedOctets.giveBack(batch);
                unsent.addAndGet(-batch.size());
                batch.clear();
                synchronized (sendQueue) {
                    sendQueue.notifyAll();
                }
            }
        }
    }

    /**
     * Sends a drained batch in as few calls as {@link #CALL_PAYLOAD_BYTES} allows, in order; each
     * call carries consecutive message ids, at least one message.
     */
    private void sendBatch(List<GroupMessage> batch) throws Exception {
        int from = 0;
        while (from < batch.size()) {
            int to = callEnd(batch, from);
            Message[] msgs = new Message[to - from];
            for (int i = 0; i < msgs.length; i++) {
                msgs[i] = MemberIdl.toIdl(batch.get(from + i));
            }
            callSend(msgs);
            from = to;
        }
    }

    /** One GroupManager::send, retried with the same ids on transport failures (applied once). */
    private void callSend(Message[] msgs) throws Exception {
        synchronized (sendCall) {
            retrying("send", () -> {
                manager.send(ticket.member, ticket.token, msgs);
                return null;
            }, ticket.suspect_ms);
        }
    }

    /** The end (exclusive) of the call that starts at {@code from}: payloads within the call limit. */
    static int callEnd(List<GroupMessage> batch, int from) {
        long bytes = batch.get(from).payload().length;
        int to = from + 1;
        while (to < batch.size() && bytes + batch.get(to).payload().length <= CALL_PAYLOAD_BYTES) {
            bytes += batch.get(to).payload().length;
            to++;
        }
        return to;
    }

    private void orderLoop() {
        List<MessageRef> batch = new ArrayList<>();
        while (failure == null && !done) {
            try {
                MessageRef first = orderQueue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                orderQueue.drainTo(batch, 4095);
                MessageRef[] refs = batch.toArray(new MessageRef[0]);
                batch.clear();
                retrying("order", () -> {
                    manager.order(ticket.member, ticket.token, refs);
                    return null;
                }, ticket.suspect_ms);
            } catch (InterruptedException e) {
                return;
            } catch (NotSequencer e) {
                LOG.debug("group {}: not the sequencer any more (holder {})", groupName, e.sequencer);
            } catch (BadOrder e) {
                LOG.error("group {}: the manager refused an order: {}", groupName, e.reason);
            } catch (NotMember e) {
                if (stopping) {
                    return; // the leave went through first
                }
                fail("removed from group " + groupName + ": " + e.reason);
            } catch (Exception e) {
                fail("group " + groupName + ": cannot reach the server: " + describe(e));
            }
        }
    }

    private void heartbeatLoop() {
        long period = Math.max(10, ticket.heartbeat_ms);
        long lastOk = System.nanoTime();
        while (failure == null && !done) {
            try {
                Thread.sleep(period);
                manager.heartbeat(ticket.member, ticket.token);
                lastOk = System.nanoTime();
            } catch (InterruptedException e) {
                return;
            } catch (NotMember e) {
                if (!stopping) {
                    fail("removed from group " + groupName + ": " + e.reason);
                }
            } catch (org.omg.CORBA.SystemException e) {
                if (System.nanoTime() - lastOk > ticket.suspect_ms * 1_000_000L) {
                    fail("group " + groupName + ": the server has not answered for " + ticket.suspect_ms + " ms ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
        }
    }

    /** Marks the member failed and tells the stack, once. */
    private void fail(String reason) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = reason;
        }
        if (!stopping) {
            LOG.warn("{}", reason);
        }
        stack.up(new StackEvent.Failed(reason));
    }

    /**
     * The member is out (the stack says why): the threads end on their own; no call is waited
     * for, so this may run on any thread, an ORB thread included.
     */
    public void halt(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
        }
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                t.interrupt();
            }
        }
    }

    /** Stops the threads and removes the consumer object (after {@link #leave}, or when failed). */
    @Override
    public void stop() {
        stopping = true;
        done = true;
        if (failure == null) {
            failure = "closed";
        }
        Thread self = Thread.currentThread();
        for (Thread t : threads) {
            if (t != self) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            if (t != self) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        deactivate();
    }

    private void deactivate() {
        if (consumerId != null) {
            try {
                poa.deactivate_object(consumerId);
            } catch (Exception e) {
                LOG.debug("deactivate consumer: {}", e.toString());
            }
            consumerId = null;
        }
    }

    private void start(String what, Runnable loop) {
        Thread t = new Thread(loop, "troupe-" + groupName + "-" + what);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** A call that may be retried with the same arguments (the manager applies it once). */
    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T retrying(String what, Call<T> call, long forMillis) throws Exception {
        long deadline = System.nanoTime() + forMillis * 1_000_000L;
        long pause = 20;
        while (true) {
            try {
                return call.run();
            } catch (org.omg.CORBA.TRANSIENT | org.omg.CORBA.COMM_FAILURE | org.omg.CORBA.TIMEOUT e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.debug("{}: {}; retrying", what, e.toString());
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 500);
            }
        }
    }

    static String describe(Exception e) {
        if (e instanceof org.omg.CORBA.UserException) {
            return e.getClass().getSimpleName() + fields(e);
        }
        return e.toString();
    }

    private static String fields(Exception e) {
        StringBuilder b = new StringBuilder();
        for (java.lang.reflect.Field f : e.getClass().getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                Object v = f.get(e);
                b.append(b.length() == 0 ? " (" : ", ").append(f.getName()).append('=')
                        .append(v instanceof Object[] a ? java.util.Arrays.toString(a) : v);
            } catch (IllegalAccessException ignored) {
                // public fields only
            }
        }
        return b.length() == 0 ? "" : b.append(')').toString();
    }

    /** What this member's consumer received, per message type. */
    public org.troupe.member.model.ChannelStats channelStats() {
        return stats;
    }

    private final org.troupe.member.model.ChannelStats stats = new org.troupe.member.model.ChannelStats();

    /** Turns one channel event into stack events (a MessageList or SequenceMessageList into one per entry, in order). */
    private void convert(Any a, java.util.function.Consumer<StackEvent> sink) {
        Object struct = a instanceof org.troupe.cdr.FastAny f ? f.struct() : null;
        if (struct == null) { // not read by the registered codecs (a plain ORB any): through the helpers
            struct = extract(a);
        }
        count(struct);
        if (struct instanceof Message m) {
            sink.accept(new StackEvent.MessageArrived(MemberIdl.fromIdl(m)));
        } else if (struct instanceof Message[] list) {
            for (Message m : list) {
                sink.accept(new StackEvent.MessageArrived(MemberIdl.fromIdl(m)));
            }
        } else if (struct instanceof SequenceMessage[] list) {
            for (SequenceMessage s : list) {
                sink.accept(ordered(s));
            }
        } else if (struct instanceof SequenceMessage s) {
            sink.accept(ordered(s));
        } else if (struct instanceof org.troupe.idl.Groups.UpdateView u) {
            sink.accept(new StackEvent.ViewArrived(MemberIdl.fromIdl(u)));
        } else {
            LOG.debug("group {}: ignoring an event of type {}", groupName, a.type());
        }
    }

    private static StackEvent.OrderArrived ordered(SequenceMessage s) {
        return new StackEvent.OrderArrived(s.source, s.message_id, s.sequence_id, MemberIdl.fromIdl(s.destination),
                s.message_type);
    }

    private void count(Object struct) {
        if (struct instanceof Message m) {
            stats.message(m.message_type);
        } else if (struct instanceof Message[] list && list.length > 0) {
            String[] types = new String[list.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = list[i].message_type;
            }
            stats.messages(types);
        } else if (struct instanceof SequenceMessage[] list && list.length > 0) {
            String[] types = new String[list.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = list[i].message_type;
            }
            stats.order(types);
        } else if (struct instanceof SequenceMessage s) {
            stats.order(new String[] {s.message_type});
        } else {
            stats.other();
        }
    }

    private static Object extract(Any a) {
        String id;
        try {
            id = a.type().id();
        } catch (org.omg.CORBA.TypeCodePackage.BadKind e) {
            return null;
        }
        if (id.equals(MessageHelper.id())) {
            return MessageHelper.extract(a);
        }
        if (id.equals(MessageListHelper.id())) {
            return MessageListHelper.extract(a);
        }
        if (id.equals(SequenceMessageListHelper.id())) {
            return SequenceMessageListHelper.extract(a);
        }
        if (id.equals(SequenceMessageHelper.id())) {
            return SequenceMessageHelper.extract(a);
        }
        if (id.equals(UpdateViewHelper.id())) {
            return UpdateViewHelper.extract(a);
        }
        return null;
    }

    private void arrived(Any a) {
        if (joined) {
            convert(a, stack::up);
            return;
        }
        synchronized (preJoin) {
            if (joined) {
                convert(a, stack::up);
            } else if (preJoin.size() < PRE_JOIN_LIMIT) {
                convert(a, preJoin::add);
            } else {
                throw new org.omg.CORBA.NO_RESOURCES("Troupe: too many events before the join completed");
            }
        }
    }

    /** The push consumer the manager connects to the group's channel. */
    private final class Consumer extends BatchPushConsumerPOA {
        @Override
        public org.omg.CORBA.portable.OutputStream _invoke(String method, org.omg.CORBA.portable.InputStream in,
                org.omg.CORBA.portable.ResponseHandler handler) {
            org.omg.CORBA.portable.OutputStream out = FastPushDispatch.invoke(orb, method, in, handler, this);
            return out != null ? out : super._invoke(method, in, handler);
        }

        @Override
        public void push(Any data) {
            arrived(data);
        }

        @Override
        public void push_batch(Any[] events) {
            for (Any a : events) {
                arrived(a);
            }
        }

        @Override
        public void disconnect_push_consumer() {
            if (!stopping) {
                fail("group " + groupName + ": the channel disconnected this member (removed, or too slow to take its events)");
            }
        }
    }
}
