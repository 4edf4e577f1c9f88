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
    private final ProxyState state = new ProxyState();
    private volatile PushConsumer consumer;
    private volatile Subscription subscription;
    private volatile String id;

    ProxyPushSupplierServant(ChannelServant channel) {
        this.channel = channel;
    }

    void setId(String id) {
        this.id = id;
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
        consumer = pushConsumer;
        Subscription sub = channel.core().subscribe("push consumer " + id);
        subscription = sub;
        sub.onEvicted((reason, tell) -> {
            if (disposeNow() && tell) {
                tellConsumer();
            }
        });
        EventSink sink = batch ? new BatchSink(channel.orb(), BatchPushConsumerHelper.unchecked_narrow(pushConsumer))
                : new SingleSink(pushConsumer);
        new PushDispatcher(sub, sink, channel.core().settings().batchMax()).start("troupe-push-" + id);
        if (!state.isConnected()) { // disposed while connecting
            sub.close();
        }
    }

    @Override
    public void disconnect_push_supplier() {
        if (disposeNow()) {
            tellConsumer();
        }
    }

    @Override
    public void disconnectByChannel() {
        boolean wasConnected = state.isConnected();
        if (disposeNow() && wasConnected) {
            tellConsumer();
        }
    }

    private boolean disposeNow() {
        if (!state.dispose()) {
            return false;
        }
        Subscription sub = subscription;
        if (sub != null) {
            sub.close();
        }
        channel.removeProxy(id);
        return true;
    }

    private void tellConsumer() {
        PushConsumer c = consumer;
        if (c != null) {
            channel.peerCalls().callBack("disconnect_push_consumer on " + id, c::disconnect_push_consumer);
        }
    }

    private static ConsumerGoneException gone(SystemException e) {
        return new ConsumerGoneException("push failed: " + e, e);
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
                try {
                    target.push(events[i]);
                } catch (Disconnected e) {
                    throw new ConsumerGoneException("consumer raised Disconnected", e);
                } catch (SystemException e) {
                    if (PeerCalls.peerGone(e)) {
                        throw gone(e);
                    }
                    // the consumer's own push failed (e.g. UNKNOWN): its problem, not the stream's
                    DeliveryErrors.log(e);
                }
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
            try {
                org.troupe.cdr.FastPush.pushBatch(orb, target, events, n);
            } catch (Disconnected e) {
                throw new ConsumerGoneException("consumer raised Disconnected", e);
            } catch (SystemException e) {
                if (PeerCalls.peerGone(e)) {
                    throw gone(e);
                }
                DeliveryErrors.log(e);
            }
        }
    }
}
