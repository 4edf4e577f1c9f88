package org.troupe.hosted;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Hosted.Closed;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.HostedMemberPOA;
import org.troupe.idl.Hosted.Invalid;
import org.troupe.idl.Hosted.MemberCallback;
import org.troupe.idl.Hosted.Refused;
import org.troupe.idl.Hosted.TurnInfo;
import org.troupe.member.Group;
import org.troupe.member.GroupClosedException;
import org.troupe.member.Query;
import org.troupe.member.RefusedException;
import org.troupe.member.TroupeException;
import org.troupe.member.model.Destination;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.TypeRule;
import org.troupe.wire.HostedIdl;
import org.troupe.wire.MemberIdl;

/**
 * One hosted member: the servant of {@code Troupe::Hosted::HostedMember}, wrapping a Java
 * {@link Group} that the server joined for an IDL client. The group's inline listener ({@link
 * ServantListener}) hands it the group's deliveries (the member stack's order, filtering and
 * correlation) on the thread that received them, and it puts them in the member's {@link Outbox},
 * waiting up to the suspect time for room; the client pulls them with {@code receive}, or a
 * {@link CallbackPusher} pushes them to its callback. Calls map the Java API's exceptions to the
 * IDL's: {@link RefusedException} to Refused, {@link GroupClosedException} to Closed, any other
 * {@link TroupeException} to Invalid, with the same message.
 */
final class HostedMemberServant extends HostedMemberPOA implements HostedLimits.Member, ServantListener.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(HostedMemberServant.class);

    private final String key;
    private final Group group;
    private final MemberCallback callback;
    private final long heartbeatMillis;
    private final long suspectMillis;
    private final Outbox outbox = new Outbox();
    private final ClientPosition position;
    /** The position before the member's first delivery is recorded (or need not be). */
    private boolean startRecorded;
    private final AnswerableMessages answerable;
    private final String label;
    private volatile long lastCallNanos = System.nanoTime();
    private volatile String removedReason;
    private volatile long finishedNanos;
    /** In a cluster, for a push member: the lease under which this server calls its callback. */
    private final PushLease lease;
    /** Told once when another server took this member over (this server's copy stopped quietly). */
    private volatile Runnable onTakenOver = () -> { };
    /** Another server took this member over: this copy neither delivers nor leaves any more. */
    private volatile boolean takenOver;
    /** A delivery could not be handed on: nothing more is (its client was told, the member leaves). */
    private volatile boolean failed;

    HostedMemberServant(String key, Group group, MemberCallback callback, long heartbeatMillis, long suspectMillis) {
        this(key, group, callback, heartbeatMillis, suspectMillis, null, false);
    }

    /**
     * @param position where the client's position is recorded in the cluster (null: nowhere)
     * @param resumed true for a member taken over from a server that died: its position is recorded already
     */
    HostedMemberServant(String key, Group group, MemberCallback callback, long heartbeatMillis, long suspectMillis,
            ClientPosition position, boolean resumed) {
        this(key, group, callback, heartbeatMillis, suspectMillis, position, resumed, null);
    }

    /**
     * @param lease for a push member in a cluster: the lease this server calls its callback under
     *     (null: none needed, a server on its own)
     */
    HostedMemberServant(String key, Group group, MemberCallback callback, long heartbeatMillis, long suspectMillis,
            ClientPosition position, boolean resumed, PushLease lease) {
        this.key = key;
        this.lease = lease;
        this.position = position;
        this.startRecorded = resumed;
        this.group = group;
        this.callback = callback;
        this.heartbeatMillis = heartbeatMillis;
        this.suspectMillis = suspectMillis;
        this.label = "group " + group.name() + ": hosted member " + group.me().name() + " (" + group.me().role()
                + ", member " + group.me().id() + ")";
        Set<String> answerableTypes = new HashSet<>();
        for (TypeRule r : group.protocol().rules().values()) {
            if (r.kind() == TypeRule.Kind.REACTIVE) {
                answerableTypes.addAll(r.answers());
            }
        }
        this.answerable = new AnswerableMessages(answerableTypes);
    }

    /**
     * Takes the member's deliveries from {@code listener} (the group's inline listener: what came
     * since the join first), and starts the pusher, for a callback.
     */
    void start(ServantListener listener) {
        listener.attach(this);
        if (callback != null) {
            Thread pusher = new Thread(new CallbackPusher(label, callback, outbox, heartbeatMillis, this::remove,
                    this::touch, lease, this::abandon), "troupe-hosted-" + group.name() + "-" + group.me().id()
                    + "-push");
            pusher.setDaemon(true);
            pusher.start();
        }
    }

    String key() {
        return key;
    }

    String label() {
        return label;
    }

    boolean isPush() {
        return callback != null;
    }

    /** Keeps this server's lease on a push member's callback renewed (see {@link PushLease#tick}). */
    void tickLease() {
        if (lease != null && !takenOver) {
            lease.tick();
        }
    }

    /** Called once when another server took this member over (after this copy stopped). */
    void onTakenOver(Runnable r) {
        this.onTakenOver = r;
    }

    /** True once another server took this member over. */
    boolean isTakenOver() {
        return takenOver;
    }

    /**
     * Another server took this member over: this copy stops without leaving (the member goes on
     * there): no more deliveries, the stack stopped quietly, the service told.
     */
    private void abandon() {
        synchronized (this) {
            if (takenOver) {
                return;
            }
            takenOver = true;
            if (removedReason == null) {
                removedReason = "taken over by another server";
            }
        }
        group.abandon();
        onTakenOver.run();
    }

    /** Nanoseconds since the client last called (pull members) or took a push (push members). */
    long silentNanos(long now) {
        return now - lastCallNanos;
    }

    /**
     * True once the member has been out for longer than {@code lingerNanos}: until then its
     * client can still read what was left and learn why (Closed).
     */
    boolean disposable(long now, long lingerNanos) {
        return outbox.finished() && now - finishedNanos > lingerNanos;
    }

    @Override
    public boolean isOut() {
        return outbox.finished() || removedReason != null;
    }

    private void touch() {
        lastCallNanos = System.nanoTime();
    }

    /**
     * Removes the member for {@code reason} (its client is silent, its callback failed or is too
     * slow, the server stops): the server's stack leaves the group on its behalf. Idempotent; the
     * leave runs on its own thread, so this never blocks the caller.
     */
    void remove(String reason) {
        synchronized (this) {
            if (takenOver || removedReason != null || outbox.finished()) {
                return;
            }
            removedReason = reason;
        }
        LOG.warn("{} removed: {}", label, reason);
        Thread t = new Thread(group::leave, "troupe-hosted-leave-" + group.me().id());
        t.setDaemon(true);
        t.start();
    }

    /** Leaves at once, on this thread (the server stopping). */
    void leaveNow(String reason) {
        synchronized (this) {
            if (takenOver) {
                return; // the member goes on on another server
            }
            if (removedReason == null) {
                removedReason = reason;
            }
        }
        group.leave();
    }

    @Override
    public void message(Received r) {
        if (takenOver || failed) {
            return; // another server delivers for it now, or its deliveries ended
        }
        try {
            answerable.delivered(r);
            deliver(HostedIdl.message(r));
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }

    @Override
    public void view(ViewChange v) {
        if (takenOver || failed) {
            return;
        }
        try {
            if (!startRecorded && position != null) {
                startRecorded = true;
                position.startAt(v.sequenceId() - 1); // its own view: nothing before it is its client's
            } else if (!startRecorded && lease != null) {
                startRecorded = true;
                lease.acked(v.sequenceId() - 1);
            }
            deliver(HostedIdl.view(v));
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }

    @Override
    public void closed(String reason) {
        if (!takenOver && !failed) {
            finish(reason);
        }
    }

    @Override
    public void lost(String reason) {
        LOG.warn("{}: {}", label, reason);
        end(reason);
    }

    /** A delivery could not be handed on: the client is told, and the member leaves (nothing is skipped silently). */
    private void failed(Throwable e) {
        LOG.error("{}: delivery failed", label, e);
        end("delivery failed: " + e);
    }

    private void end(String reason) {
        failed = true;
        remove(reason); // leaves on its own thread
        finish(reason);
    }

    private void finish(String reason) {
        String why = removedReason != null ? removedReason : reason;
        finishedNanos = System.nanoTime();
        outbox.finish(why);
        LOG.info("{} is out: {}", label, why);
    }

    /** Hands a delivery to the client's side; a client that leaves it waiting too long is removed. */
    private void deliver(Delivery d) {
        if (removedReason != null) {
            return; // nobody takes it any more
        }
        try {
            if (!outbox.put(d, suspectMillis)) {
                remove("its client let " + Outbox.CAPACITY + " deliveries wait for more than " + suspectMillis
                        + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkIn() throws Closed {
        touch();
        if (takenOver) { // a call that raced the hand-over: the client calls again, and is sent to the new server
            throw new org.omg.CORBA.TRANSIENT("Troupe: this hosted member is served by another server now; retry");
        }
        if (isOut()) {
            throw new Closed(removedReason != null ? removedReason : "left group " + group.name());
        }
    }

    @Override
    public String group_name() {
        return group.name();
    }

    @Override
    public int heartbeat_ms() {
        return (int) heartbeatMillis;
    }

    @Override
    public int suspect_ms() {
        return (int) suspectMillis;
    }

    @Override
    public MemberInfo me() throws Closed {
        checkIn();
        return MemberIdl.toIdl(group.me());
    }

    @Override
    public GroupView view() throws Closed {
        checkIn();
        return MemberIdl.toIdl(group.view());
    }

    @Override
    public long send(String type, byte[] payload, Address destination) throws Closed, Invalid, Refused {
        checkIn();
        Destination to = destination(destination);
        return call(() -> group.send(type, payload, to));
    }

    @Override
    public long ask(String type, byte[] payload, Address destination) throws Closed, Invalid, Refused {
        checkIn();
        Destination to = destination(destination);
        return call(() -> {
            Query q = group.ask(type, payload, to);
            q.onDone(done -> deliver(HostedIdl.queryDone(done)));
            return q.messageId();
        });
    }

    @Override
    public long reply(MessageRef query, String type, byte[] payload) throws Closed, Invalid, Refused {
        checkIn();
        Received r = answerable.find(query.source, query.message_id);
        if (r == null) {
            throw new Invalid("no message " + query.source + "/" + query.message_id + " delivered to this member "
                    + "that a response can answer (the last " + AnswerableMessages.CAPACITY + " are kept)");
        }
        return call(() -> group.reply(r, type, payload));
    }

    @Override
    public TurnInfo turn(String type) throws Closed {
        checkIn();
        return HostedIdl.turn(group.turn(type), type);
    }

    @Override
    public Delivery[] receive(int max, int timeoutMs) throws Closed, Invalid {
        touch();
        if (callback != null) {
            throw new Invalid("this member has a callback: its deliveries are pushed to it, not pulled");
        }
        if (outbox.drained()) {
            throw new Closed(removedReason != null ? removedReason : "left group " + group.name());
        }
        long n = Integer.toUnsignedLong(max);
        int batch = (int) (n == 0 || n > Outbox.MAX_BATCH ? Outbox.MAX_BATCH : n);
        long wait = Math.min(Integer.toUnsignedLong(timeoutMs), suspectMillis / 2);
        if (position != null) {
            position.taken(); // the client called again: what it was handed last is recorded as taken
        }
        try {
            List<Delivery> out = outbox.take(batch, wait);
            touch();
            Delivery[] given = out.toArray(new Delivery[0]);
            if (position != null) {
                position.handedOut(given);
            }
            return given;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery[0];
        }
    }

    @Override
    public void ping() throws Closed {
        checkIn();
    }

    @Override
    public void leave() {
        touch();
        if (takenOver) {
            throw new org.omg.CORBA.TRANSIENT("Troupe: this hosted member is served by another server now; retry");
        }
        LOG.info("{} leaves (its client asked)", label);
        group.leave();
    }

    private static Destination destination(Address a) throws Invalid {
        if (a == null || a.kind == null) {
            throw new Invalid("a destination is needed");
        }
        try {
            return MemberIdl.fromIdl(a);
        } catch (IllegalArgumentException e) {
            throw new Invalid("bad destination: " + e.getMessage());
        }
    }

    /** A call of the Java API that may throw its exceptions. */
    private interface Call {
        long run() throws TroupeException;
    }

    /** Runs {@code c}, its exceptions mapped to the IDL's with the same message. */
    private static long call(Call c) throws Closed, Invalid, Refused {
        try {
            return c.run();
        } catch (RefusedException e) {
            throw new Refused(e.getMessage());
        } catch (GroupClosedException e) {
            throw new Closed(e.getMessage());
        } catch (TroupeException e) {
            throw new Invalid(e.getMessage());
        }
    }
}
