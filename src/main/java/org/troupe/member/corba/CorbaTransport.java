package org.troupe.member.corba;

import java.util.List;
import java.util.UUID;
import org.omg.CORBA.ORB;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.PortableServer.POA;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.idl.Groups.BadOrder;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.NotMember;
import org.troupe.idl.Groups.NotSequencer;
import org.troupe.member.model.ChannelStats;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.stack.Layer;
import org.troupe.member.stack.StackEvent;
import org.troupe.member.stack.StackRefusal;
import org.troupe.wire.GroupCodecs;
import org.troupe.wire.MemberIdl;

/**
 * The bottom of a member's stack: the CORBA adapter between the stack's events and the group's
 * Group Manager and channel. Up: a {@link ChannelConsumer} that the manager connects to the
 * group's channel at join. Down: messages go through a {@link SendQueue} (or, when a refusal must
 * come back to the sender, in a call of their own after it), orders through an {@link
 * OrderQueue}, heartbeats, a leave and a flush as calls on the caller's thread. Calls are retried
 * on transport failures ({@link RetryPolicy}); the manager's exceptions become what the stack
 * understands ({@link ManagerErrors}). When a queued call fails the member fails: the stack is
 * told with {@link StackEvent.Failed}; a {@link StackEvent.Halt} from above stops the queues.
 */
public final class CorbaTransport extends Layer {
    private static final Logger LOG = LoggerFactory.getLogger(CorbaTransport.class);
    /** How long the join is retried on transport failures. */
    private static final long JOIN_RETRY_MILLIS = 3000;

    static {
        GroupCodecs.install();
    }

    private final POA poa;
    private volatile GroupManager manager;
    private final String groupName;
    private final long timeoutMillis;
    private volatile ChannelConsumer consumer;
    private final StreamPosition position = new StreamPosition();
    /** Moves the member to the server that hosts its group now (null: it knows one server only). */
    private final ServerFailover failover;
    private final Object moving = new Object();
    private long movedAtNanos;
    /**
     * A move began (the consumer was retired) and no server took the member yet: until one does,
     * the member receives nothing, whether or not its calls fail, so every heartbeat tries again.
     */
    private volatile boolean adrift;
    /** The manager with the heartbeat's time-out (remade when the member moves). */
    private volatile TimedManager timed;
    private final SendQueue sends;
    private final OrderQueue orders;
    private byte[] consumerId;
    private volatile JoinTicket ticket;
    private volatile boolean leaving; // a leave has begun: the server may now say "not a member"
    private volatile String failure;

    /** A transport for {@code groupName}'s manager; {@code stats} counts what its consumer receives. */
    public CorbaTransport(ORB orb, POA poa, GroupManager manager, String groupName, SendQueue.Limits limits,
            ChannelStats stats) {
        this(orb, poa, manager, groupName, limits, stats, null);
    }

    /**
     * A transport that, when its server goes away, moves the member to the server that hosts the
     * group now, found at these corbaloc prefixes ({@code corbaloc:iiop:HOST:PORT}; null: no move).
     */
    public CorbaTransport(ORB orb, POA poa, GroupManager manager, String groupName, SendQueue.Limits limits,
            ChannelStats stats, java.util.function.Supplier<List<String>> servers) {
        this.poa = poa;
        this.manager = SizedManagerStub.of(manager); // sends sized once; everything else as the stub does
        this.groupName = groupName;
        this.timeoutMillis = limits.timeoutMillis();
        this.failover = servers == null ? null : new ServerFailover(groupName, ServerFailover.at(orb, servers, groupName),
                poa);
        this.consumer = new ChannelConsumer(orb, groupName, stats, this::passUpInTurn, this::disconnected, position);
        this.sends = new SendQueue(groupName, limits, this::sendQueued, this::fail);
        this.orders = new OrderQueue(groupName, Math.max(limits.messages(), 65536), timeoutMillis, this::order,
                this::fail);
    }

    @Override
    public String name() {
        return "CorbaTransport";
    }

    /**
     * Before joining: the group's events may be taken on the thread that read them from the
     * connection, where the ORB allows it (see {@link org.troupe.orb.ReaderDispatch}): for a
     * listener that is called inline, one thread hand-off instead of three.
     */
    public void dispatchOnReaderThread() {
        consumer.dispatchOnReaderThread();
    }

    /**
     * Joins: connects the consumer (through the manager, before the view is published), passes
     * the stack its Joined event, then the events that came before the ticket, and starts the
     * queues. The IDL exceptions of {@code GroupManager::join} pass through.
     */
    public JoinTicket join(String memberName, String role, boolean volunteer) throws Exception {
        return join(memberName, role, volunteer, null);
    }

    /**
     * {@link #join(String, String, boolean)}, giving the group's join key ({@code join_with_key})
     * unless {@code joinKey} is null.
     */
    public JoinTicket join(String memberName, String role, boolean volunteer, String joinKey) throws Exception {
        consumerId = poa.activate_object(consumer);
        PushConsumer ref = PushConsumerHelper.narrow(poa.id_to_reference(consumerId));
        String requestId = UUID.randomUUID().toString();
        JoinTicket t;
        try {
            // the ordering layer keeps a copy of what this member sends: the channel need not send it
            // back (a sequencer volunteer is sent its own messages anyway)
            t = RetryPolicy.retrying("join", JOIN_RETRY_MILLIS,
                    () -> joinKey == null ? manager.join(requestId, memberName, role, ref, volunteer, true)
                            : manager.join_with_key(joinKey, requestId, memberName, role, ref, volunteer, true));
        } catch (Exception | Error e) {
            deactivate();
            throw e;
        }
        ticket = t;
        // the heartbeat layer gives up after the retry time: a member that can move to another
        // server keeps trying for twice the suspect time, as the new leader waits for it that long
        consumer.joined(new StackEvent.Joined(t.member, role, t.view_sequence_id, MemberIdl.fromIdl(t.view),
                t.turn_positions, Integer.toUnsignedLong(t.heartbeat_ms), retryMillis(t)));
        sends.start("troupe-" + groupName + "-sender");
        orders.start("troupe-" + groupName + "-orderer");
        return t;
    }

    /**
     * Takes over a member whose stack ended with another process (a hosted member whose server
     * died): connects the consumer with {@code GroupManager::resume} from sequence id {@code
     * replayFrom}, and passes the stack a Joined event as if it had joined just after {@code
     * delivered}, so that it delivers from {@code delivered + 1} on. Events between the two come
     * again so that messages published before {@code delivered} but ordered after it are held;
     * the ordering layer drops what was ordered up to {@code delivered}. The channel sends this
     * member's own messages back (its earlier stack's copies are gone). The same id and token: no
     * view change.
     *
     * @throws org.troupe.idl.Groups.NotMember the member is no longer in the group
     */
    public JoinTicket resume(long member, String token, String role, long delivered, long replayFrom)
            throws Exception {
        consumerId = poa.activate_object(consumer);
        PushConsumer ref = PushConsumerHelper.narrow(poa.id_to_reference(consumerId));
        JoinTicket t;
        try {
            t = RetryPolicy.retrying("resume", JOIN_RETRY_MILLIS,
                    () -> manager.resume(member, token, ref, replayFrom, false));
        } catch (Exception | Error e) {
            deactivate();
            throw e;
        }
        // what comes is what follows REPLAYFROM: a move to another server before any of it
        // arrived asks from there (set before the ticket, which lets a move start)
        position.ordered(replayFrom);
        ticket = t;
        // the turns and responses placed right after DELIVERED share that sequence id (a card
        // table's Plays all follow the view of its four players): they are for the member again
        consumer.joined(new StackEvent.Joined(t.member, role, delivered + 1, MemberIdl.fromIdl(t.view),
                t.turn_positions, Integer.toUnsignedLong(t.heartbeat_ms), retryMillis(t), delivered));
        sends.start("troupe-" + groupName + "-sender");
        orders.start("troupe-" + groupName + "-orderer");
        return t;
    }

    @Override
    public void down(StackEvent e) {
        if (e instanceof StackEvent.Send s && s.now()) {
            sendNow(s.message());
        } else if (e instanceof StackEvent.Send s) {
            sends.put(s.message());
        } else if (e instanceof StackEvent.Order o) {
            orders.put(o);
        } else if (e instanceof StackEvent.Heartbeat) {
            heartbeat();
        } else if (e instanceof StackEvent.Flush f) {
            f.done().complete(sends.flush(f.timeoutMillis()));
        } else if (e instanceof StackEvent.Leave) {
            leave();
        } else if (e instanceof StackEvent.Halt h) {
            halt(h.reason());
        } else {
            // nothing else goes to the server
        }
    }

    /**
     * Sends one message in a call of its own, after everything queued before it: a refusal the
     * member can act on (a response the group does not take, a turn out of turn) is thrown back
     * as a StackRefusal and the member stays in the group; anything else fails the member.
     */
    private void sendNow(GroupMessage m) {
        try {
            sends.afterQueued(() -> {
                call("send", List.of(m));
                return null;
            });
        } catch (IllegalStateException e) {
            throw e; // out, or the earlier messages did not go in time
        } catch (Exception e) {
            RuntimeException mapped = ManagerErrors.ofSend(e, groupName, m);
            if (mapped instanceof StackRefusal) {
                throw mapped;
            }
            fail(mapped.getMessage());
            throw new IllegalStateException(failure);
        }
    }

    /** The send queue's call: the member fails on any exception, with the reason as its message. */
    private void sendQueued(List<GroupMessage> messages) throws InterruptedException {
        try {
            call("send", messages);
        } catch (InterruptedException e) {
            throw e; // halted while waiting to retry
        } catch (Exception e) {
            throw ManagerErrors.ofQueuedSend(e, groupName);
        }
    }

    /** One GroupManager::send, retried with the same ids on transport failures (applied once). */
    private void call(String what, List<GroupMessage> messages) throws Exception {
        Message[] msgs = new Message[messages.size()];
        for (int i = 0; i < msgs.length; i++) {
            msgs[i] = MemberIdl.toIdl(messages.get(i));
        }
        JoinTicket t = ticket;
        if (org.troupe.trace.HopTrace.ON) {
            org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.SEND_CALL);
        }
        RetryPolicy.retrying(what, retryMillis(t), () -> {
            manager.send(t.member, t.token, msgs);
            return null;
        }, this::recover);
    }

    /** The order queue's call: a holder that lost the sequencer, or a refused order, is only logged. */
    private void order(List<StackEvent.Order> batch) throws InterruptedException {
        MessageRef[] refs = new MessageRef[batch.size()];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = new MessageRef(batch.get(i).source(), batch.get(i).messageId());
        }
        JoinTicket t = ticket;
        try {
            RetryPolicy.retrying("order", retryMillis(t), () -> {
                manager.order(t.member, t.token, refs);
                return null;
            }, this::recover);
        } catch (NotSequencer e) {
            LOG.debug("group {}: not the sequencer any more (holder {})", groupName, e.sequencer);
        } catch (BadOrder e) {
            LOG.error("group {}: the manager refused an order: {}", groupName, e.reason);
        } catch (NotMember e) {
            if (!leaving) { // else the leave went through first
                throw ManagerErrors.ofCall(e, groupName);
            }
        } catch (InterruptedException e) {
            throw e; // halted while waiting to retry
        } catch (Exception e) {
            throw ManagerErrors.ofCall(e, groupName);
        }
    }

    /**
     * One heartbeat call; its failure is thrown to the heartbeat layer, which decides. A member
     * that can move to another server beats with a time-out of half its suspect time (a server
     * that hangs, stopped or frozen, holds a call until the ORB's reply time-out, longer than a
     * new leader waits for the member), and on a transport failure it moves and beats again, for
     * as long as its other calls are retried.
     */
    private void heartbeat() {
        JoinTicket t = ticket;
        if (t == null || failure != null) {
            return;
        }
        try {
            if (failover == null) {
                manager.heartbeat(t.member, t.token);
                return;
            }
            RetryPolicy.retrying("heartbeat", retryMillis(t), () -> {
                if (adrift) { // beating where nothing comes from would hide it: move first
                    throw new org.omg.CORBA.TRANSIENT("Troupe: no server has taken this member since it lost its own");
                }
                JoinTicket now = ticket;
                timedManager(now).heartbeat(now.member, now.token);
                return null;
            }, this::recover);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the heartbeats stop
        } catch (Exception e) {
            throw ManagerErrors.ofCall(e, groupName);
        }
    }

    /** The manager, with calls that fail with TIMEOUT after half the suspect time (for heartbeats). */
    private GroupManager timedManager(JoinTicket t) {
        GroupManager m = manager;
        TimedManager timed = this.timed;
        if (timed == null || timed.of() != m) {
            long hundredNanos = Math.max(1, Integer.toUnsignedLong(t.suspect_ms) / 2) * 10_000L;
            org.omg.CORBA.Policy p = new org.jacorb.orb.policies.RelativeRoundtripTimeoutPolicy(hundredNanos);
            timed = new TimedManager(m, org.troupe.idl.Groups.GroupManagerHelper.unchecked_narrow(
                    m._set_policy_override(new org.omg.CORBA.Policy[] {p}, org.omg.CORBA.SetOverrideType.ADD_OVERRIDE)));
            this.timed = timed;
        }
        return timed.timed();
    }

    /** A manager reference and the same with a call time-out. */
    private record TimedManager(GroupManager of, GroupManager timed) {
    }

    /** How long a call is retried: the suspect time, twice over if the member can move to another server. */
    private long retryMillis(JoinTicket t) {
        long suspect = Integer.toUnsignedLong(t.suspect_ms);
        return failover == null ? suspect : 2 * suspect;
    }

    /**
     * A call failed for transport reasons: the member's server may be gone. Moves the member to
     * the server that hosts its group now, once for any number of callers that saw the failure
     * together; the callers then retry there, with the same ids.
     */
    private void recover(org.omg.CORBA.SystemException cause) {
        JoinTicket t = ticket;
        if (failover == null || t == null || leaving || failure != null) {
            return;
        }
        synchronized (moving) {
            if (failure != null || !adrift && System.nanoTime() - movedAtNanos < 250_000_000L) {
                return; // just moved: the callers retry there first
            }
            ServerFailover.Resumed r;
            try {
                adrift = true; // the current consumer is retired from here on
                r = failover.resume(t, consumer, position.sequenceId());
            } catch (org.troupe.member.stack.RemovedFromGroup e) {
                fail(e.getMessage());
                return;
            }
            if (r == null) {
                return; // no server took it now: the callers retry, and so does the next heartbeat
            }
            adrift = false;
            byte[] oldId = consumerId;
            manager = r.manager();
            consumer = r.consumer();
            consumerId = r.consumerId();
            ticket = r.ticket();
            movedAtNanos = System.nanoTime();
            if (oldId != null) {
                try {
                    poa.deactivate_object(oldId);
                } catch (Exception e) {
                    LOG.debug("deactivate the old consumer: {}", e.toString());
                }
            }
            LOG.info("group {}: moved to the server that hosts it now ({})", groupName, cause.toString());
        }
    }

    /**
     * Leaves the group (once): what is queued is sent first (up to the send time-out), then the
     * manager is told; until then the queues and heartbeats go on.
     */
    private void leave() {
        JoinTicket t = ticket;
        if (t == null || leaving) {
            return;
        }
        leaving = true;
        sends.close();
        sends.flush(timeoutMillis);
        try {
            RetryPolicy.retrying("leave", retryMillis(t), () -> {
                manager.leave(t.member, t.token);
                return null;
            }, this::recover);
        } catch (NotMember e) {
            LOG.debug("leave: {}", e.reason);
        } catch (Exception e) {
            LOG.warn("group {}: leave failed ({}); the server will remove this member when it stops hearing from it",
                    groupName, ManagerErrors.describe(e));
        } finally {
            orders.halt("left group " + groupName);
        }
    }

    /**
     * The channel disconnected the consumer: unless leaving, the member is out; or, when it can
     * move to another server (its server is shutting down), it moves, and its next heartbeat
     * tells it if it was removed instead.
     */
    private void disconnected() {
        if (leaving) {
            return;
        }
        if (failover == null) {
            Thread why = new Thread(() -> fail(whyDisconnected()), "troupe-" + groupName + "-disconnected");
            why.setDaemon(true);
            why.start();
            return;
        }
        Thread t = new Thread(() -> recover(new org.omg.CORBA.COMM_FAILURE("the group's channel disconnected this member")),
                "troupe-" + groupName + "-move");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Why the channel disconnected this member, asked of its server with one heartbeat (at most
     * half the suspect time): it removed the member, it is gone (stopped, or the group destroyed),
     * or it answers and the member is still in, so the channel cut it off for being too slow.
     */
    private String whyDisconnected() {
        String group = "group " + groupName + ": ";
        JoinTicket t = ticket;
        if (t == null) {
            return group + "the channel disconnected this member";
        }
        try {
            timedManager(t).heartbeat(t.member, t.token);
            return group + "the channel cut this member off: too slow to take its events";
        } catch (NotMember e) {
            return group + "removed by the server: " + e.reason;
        } catch (org.omg.CORBA.OBJECT_NOT_EXIST e) {
            if (e.getMessage() != null && e.getMessage().contains("Troupe: no such object")) {
                return group + "the group was destroyed"; // its manager is gone, the server is not
            }
            return group + "the server stopped (it no longer serves the group: OBJECT_NOT_EXIST)";
        } catch (org.omg.CORBA.SystemException e) {
            if (e.getMessage() != null && e.getMessage().contains("the server is stopping")) {
                return group + "the server stopped";
            }
            return group + "the server stopped, or cannot be reached (it disconnected this member and no longer "
                    + "answers: " + e.getClass().getSimpleName() + ")";
        }
    }

    /** Marks the member failed, halts the queues and tells the stack, once. */
    private void fail(String reason) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = reason;
        }
        sends.halt(reason);
        orders.halt(reason);
        if (!leaving) {
            LOG.warn("{}", reason);
        }
        passUpInTurn(new StackEvent.Failed(reason));
    }

    /** The member is out (the stack says why): the queues end on their own; nothing is waited for. */
    private void halt(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
        }
        sends.halt(reason);
        orders.halt(reason);
    }

    /** Stops the queues and removes the consumer object (after a leave, or when out). */
    @Override
    public void stop() {
        leaving = true;
        synchronized (this) {
            if (failure == null) {
                failure = "closed";
            }
        }
        sends.stop();
        orders.stop();
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
}
