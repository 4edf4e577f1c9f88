package org.troupe.server.events.corba;

import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_PARAM;
import org.omg.CORBA.SystemException;
import org.omg.CosEventChannelAdmin.AlreadyConnected;
import org.omg.CosEventChannelAdmin.ProxyPushSupplierPOA;
import org.omg.CosEventChannelAdmin.TypeError;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.troupe.server.events.ConsumerGoneException;
import org.troupe.server.events.EventSink;
import org.troupe.server.events.PushDispatcher;
import org.troupe.server.events.Subscription;
import org.troupe.idl.Events.BatchPushConsumer;
import org.troupe.idl.Events.BatchPushConsumerHelper;

/**
 * Pushes the channel's events to one push consumer, from its own queue and thread. A consumer
 * that also implements {@code BatchPushConsumer} gets {@code push_batch} calls; others get one
 * {@code push} per event. No push call starts after the consumer was disconnected (by itself, by
 * the channel's destruction, or cut off), and it is told {@code disconnect_push_consumer} only
 * after its last push call ended.
 */
final class ProxyPushSupplierServant extends ProxyPushSupplierPOA implements ChannelProxy {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProxyPushSupplierServant.class);

    private final ChannelServant channel;
    private final ProxyState state;
    private volatile Subscription subscription;

    ProxyPushSupplierServant(ChannelServant channel) {
        this.channel = channel;
        this.state = new ProxyState(channel);
    }

    private org.troupe.server.events.EventFilter filter;
    private java.util.function.Consumer<String> onEvicted = reason -> { };

    @Override
    public ProxyState state() {
        return state;
    }

    /** Before connecting: deliver what this makes of each event (the channel's owner filters at the source). */
    void filter(org.troupe.server.events.EventFilter eventFilter) {
        this.filter = eventFilter;
    }

    /**
     * Before connecting: told (with the reason) when the channel cuts the consumer off, whether
     * the consumer was told or not (a push that failed as if the consumer were gone, a full queue).
     */
    void onEvicted(java.util.function.Consumer<String> action) {
        this.onEvicted = action;
    }

    @Override
    public Kind kind() {
        return Kind.PUSH_CONSUMER;
    }

    @Override
    public boolean isConnected() {
        return state.isConnected();
    }

    @Override
    public void connect_push_consumer(PushConsumer pushConsumer) throws AlreadyConnected, TypeError {
        connect(pushConsumer, false);
    }

    /**
     * Connects {@code pushConsumer}. A client's consumer ({@code byOwner} false) is probed while
     * it is idle and disposed once found dead, and told when the channel cuts it off. A consumer
     * the channel's owner connected (a group manager, for a member) is neither: the owner hears of
     * the cut-off (see {@link #onEvicted}) and its own failure detector and views tell the member.
     */
    void connect(PushConsumer pushConsumer, boolean byOwner) throws AlreadyConnected, TypeError {
        if (pushConsumer == null) {
            throw new BAD_PARAM("Troupe: connect_push_consumer: the consumer reference is nil");
        }
        PeerCalls.ConsumerType type = channel.peerCalls().consumerType(channel.orb(), pushConsumer,
                PushConsumerHelper.id(), BatchPushConsumerHelper.id(), "connect_push_consumer");
        if (type == PeerCalls.ConsumerType.NOT_A_CONSUMER) {
            throw new TypeError();
        }
        boolean batch = type == PeerCalls.ConsumerType.BATCH_PUSH;
        Runnable place = channel.takeConsumerPlace();
        try {
            state.connect();
        } catch (AlreadyConnected | RuntimeException e) {
            place.run();
            throw e;
        }
        state.onRelease(place);
        state.peer("disconnect_push_consumer", pushConsumer, pushConsumer::disconnect_push_consumer);
        Subscription sub = channel.core().subscribe("push consumer " + state.id(), filter);
        subscription = sub;
        state.onRelease(sub::close);
        // told only after its last push call ended: nothing reaches it after disconnect_push_consumer
        long bound = lastPushBoundMillis();
        state.tellAfter(tell -> {
            Runnable once = once(tell);
            sub.afterLastPush(once);
            if (!channel.peerCalls().schedule("telling a consumer after its last push", once, bound)) {
                once.run();
            }
        });
        java.util.function.Consumer<String> owner = onEvicted;
        sub.onEvicted((reason, tell) -> {
            state.evicted(tell && !byOwner);
            owner.accept(reason);
        });
        DeadClientDetector.Watch w = null;
        if (!byOwner) {
            w = channel.peerCalls().liveness().watch(state.label("push consumer"), pushConsumer,
                    reason -> sub.evict("found dead: " + reason, false));
            state.onRelease(w::cancel);
        }
        EventSink sink = batch
                ? new BatchSink(channel.orb(), BatchPushConsumerHelper.unchecked_narrow(pushConsumer), w)
                : new SingleSink(pushConsumer, w, byOwner);
        new PushDispatcher(sub, sink, channel.core().settings().batchMax()).start("troupe-push-" + state.id());
        if (!state.isConnected()) { // disposed while connecting
            place.run();
            sub.close();
            if (w != null) {
                w.cancel();
            }
        }
    }

    /** The connected consumer's place in the channel (null before it is connected). */
    Subscription subscription() {
        return subscription;
    }

    /** The longest a push call can last: the ORB's reply time-out, and a margin. */
    private long lastPushBoundMillis() {
        return channel.core().settings().replyTimeoutMillis() + 1000;
    }

    private static Runnable once(Runnable r) {
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                r.run();
            }
        };
    }

    /**
     * The consumer disconnects itself. No push call to it starts from now on, and this returns
     * only once the push call in flight, if any, has ended (at most the reply time-out): after it
     * returned, the consumer receives nothing more. A consumer that calls this from inside its
     * own {@code push} thus waits for that push to be given up (the reply time-out).
     */
    @Override
    public void disconnect_push_supplier() {
        state.disconnectByClient();
        Subscription sub = subscription;
        if (sub != null) {
            try {
                if (!sub.awaitNoPushInFlight(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(lastPushBoundMillis()))) {
                    LOG.warn("{}: disconnect_push_supplier: a push to the consumer was still in flight after {} ms",
                            state.label("push consumer"), lastPushBoundMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Disconnects the consumer from inside the server (its owner): it is told, nobody waits. */
    void disconnectFromOwner() {
        state.disconnectByClient();
    }

    @Override
    public void disconnectByChannel() {
        state.disconnectByChannel();
    }

    /** A push call to the consumer. */
    private interface PushCall {
        void run() throws Disconnected;
    }

    /**
     * Runs one push call: true if it returned normally; the consumer is gone if it raised
     * Disconnected or the call failed in a way that means it is dead or stopped; other failures
     * of its own push (the events are lost) are counted and logged, and return false, unless
     * {@code lossCutsOff}: a consumer that cannot live with a gap (a batch consumer, or a group
     * member, whose stream is numbered) is then cut off and told, rather than left waiting for
     * events it will never get.
     */
    private static boolean push(PushCall call, DeadClientDetector.Watch watch, boolean lossCutsOff, int events)
            throws ConsumerGoneException {
        try {
            call.run();
            if (watch != null) {
                watch.heard();
            }
            return true;
        } catch (Disconnected e) {
            throw new ConsumerGoneException("consumer raised Disconnected", e, false);
        } catch (SystemException e) {
            if (PeerCalls.peerGone(e)) {
                throw new ConsumerGoneException("push failed: " + e, e, PeerCalls.mayAnswerLater(e));
            }
            DeliveryErrors.log(e);
            if (lossCutsOff) {
                throw new ConsumerGoneException("its push raised " + e + ": " + events + " events lost, so it is"
                        + " disconnected rather than left waiting for them", e, true);
            }
            return false;
        }
    }

    /** One {@code push} per event. */
    private static final class SingleSink implements EventSink {
        private final PushConsumer target;
        private final DeadClientDetector.Watch watch;
        private final boolean lossCutsOff;

        SingleSink(PushConsumer target, DeadClientDetector.Watch watch, boolean lossCutsOff) {
            this.target = target;
            this.watch = watch;
            this.lossCutsOff = lossCutsOff;
        }

        @Override
        public int eventsPerCall() {
            return 1;
        }

        @Override
        public boolean push(Any[] events, int from, int n) throws ConsumerGoneException {
            Any event = events[from];
            return ProxyPushSupplierServant.push(() -> target.push(event), watch, lossCutsOff, 1);
        }
    }

    /** One {@code push_batch} per batch, marshalled by {@link org.troupe.cdr.FastPush}. */
    private static final class BatchSink implements EventSink {
        private final org.omg.CORBA.ORB orb;
        private final BatchPushConsumer target;
        private final DeadClientDetector.Watch watch;

        BatchSink(org.omg.CORBA.ORB orb, BatchPushConsumer target, DeadClientDetector.Watch watch) {
            this.orb = orb;
            this.target = target;
            this.watch = watch;
        }

        @Override
        public int eventsPerCall() {
            return Integer.MAX_VALUE;
        }

        @Override
        public boolean push(Any[] events, int from, int n) throws ConsumerGoneException {
            Any[] call = from == 0 ? events : java.util.Arrays.copyOfRange(events, from, from + n);
            return ProxyPushSupplierServant.push(() -> org.troupe.cdr.FastPush.pushBatch(orb, target, call, n), watch,
                    true, n);
        }
    }
}
