package org.troupe.events.corba;

import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_PARAM;
import org.omg.CORBA.SystemException;
import org.omg.CosEventChannelAdmin.AlreadyConnected;
import org.omg.CosEventChannelAdmin.ProxyPushSupplierPOA;
import org.omg.CosEventChannelAdmin.TypeError;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.troupe.events.ConsumerGoneException;
import org.troupe.events.EventSink;
import org.troupe.events.PushDispatcher;
import org.troupe.events.Subscription;
import org.troupe.idl.Events.BatchPushConsumer;
import org.troupe.idl.Events.BatchPushConsumerHelper;

/**
 * Pushes the channel's events to one push consumer, from its own queue and thread. A consumer
 * that also implements {@code BatchPushConsumer} gets {@code push_batch} calls; others get one
 * {@code push} per event.
 */
final class ProxyPushSupplierServant extends ProxyPushSupplierPOA implements ChannelProxy {
    private final ChannelServant channel;
    private final ProxyState state;
    private volatile Subscription subscription;

    ProxyPushSupplierServant(ChannelServant channel) {
        this.channel = channel;
        this.state = new ProxyState(channel);
    }

    private org.troupe.events.EventFilter filter;
    private java.util.function.Consumer<String> onEvicted = reason -> { };

    @Override
    public ProxyState state() {
        return state;
    }

    /** Before connecting: deliver what this makes of each event (the channel's owner filters at the source). */
    void filter(org.troupe.events.EventFilter eventFilter) {
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
        if (pushConsumer == null) {
            throw new BAD_PARAM("Troupe: connect_push_consumer: the consumer reference is nil");
        }
        boolean batch;
        try {
            if (!PeerCalls.isA(channel.orb(), pushConsumer, PushConsumerHelper.id())) {
                throw new TypeError();
            }
            batch = PeerCalls.isA(channel.orb(), pushConsumer, BatchPushConsumerHelper.id());
        } catch (SystemException e) {
            throw new BAD_PARAM("Troupe: connect_push_consumer: cannot reach the consumer: " + e);
        }
        state.connect();
        state.peer("disconnect_push_consumer", pushConsumer::disconnect_push_consumer);
        Subscription sub = channel.core().subscribe("push consumer " + state.id(), filter);
        subscription = sub;
        state.onRelease(sub::close);
        java.util.function.Consumer<String> owner = onEvicted;
        sub.onEvicted((reason, tell) -> {
            state.evicted(tell);
            owner.accept(reason);
        });
        EventSink sink = batch ? new BatchSink(channel.orb(), BatchPushConsumerHelper.unchecked_narrow(pushConsumer))
                : new SingleSink(pushConsumer);
        new PushDispatcher(sub, sink, channel.core().settings().batchMax()).start("troupe-push-" + state.id());
        if (!state.isConnected()) { // disposed while connecting
            sub.close();
        }
    }

    /** The connected consumer's place in the channel (null before it is connected). */
    Subscription subscription() {
        return subscription;
    }

    @Override
    public void disconnect_push_supplier() {
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
     * Runs one push call: the consumer is gone if it raised Disconnected or the call failed in a
     * way that means it is dead or stopped; other failures of its own push are counted and logged.
     */
    private static void push(PushCall call) throws ConsumerGoneException {
        try {
            call.run();
        } catch (Disconnected e) {
            throw new ConsumerGoneException("consumer raised Disconnected", e);
        } catch (SystemException e) {
            if (PeerCalls.peerGone(e)) {
                throw new ConsumerGoneException("push failed: " + e, e);
            }
            DeliveryErrors.log(e);
        }
    }

    /** One {@code push} per event. */
    private static final class SingleSink implements EventSink {
        private final PushConsumer target;

        SingleSink(PushConsumer target) {
            this.target = target;
        }

        @Override
        public void deliver(Any[] events, int n) throws ConsumerGoneException {
            for (int i = 0; i < n; i++) {
                Any event = events[i];
                push(() -> target.push(event));
            }
        }
    }

    /** One {@code push_batch} per batch, marshalled by {@link org.troupe.cdr.FastPush}. */
    private static final class BatchSink implements EventSink {
        private final org.omg.CORBA.ORB orb;
        private final BatchPushConsumer target;

        BatchSink(org.omg.CORBA.ORB orb, BatchPushConsumer target) {
            this.orb = orb;
            this.target = target;
        }

        @Override
        public void deliver(Any[] events, int n) throws ConsumerGoneException {
            push(() -> org.troupe.cdr.FastPush.pushBatch(orb, target, events, n));
        }
    }
}
