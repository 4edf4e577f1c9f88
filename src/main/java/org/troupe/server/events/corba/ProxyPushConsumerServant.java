package org.troupe.server.events.corba;

import org.omg.CORBA.Any;
import org.omg.CORBA.TRANSIENT;
import org.omg.CosEventChannelAdmin.AlreadyConnected;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.PushSupplier;
import org.troupe.idl.Events.BatchProxyPushConsumerPOA;

/**
 * Where a push supplier pushes: {@code push} (standard) or {@code push_batch} (Troupe's fast
 * path). Both validate every event first, then hand the batch to the channel core, which may make
 * the call wait (bounded) for flow control.
 */
final class ProxyPushConsumerServant extends BatchProxyPushConsumerPOA implements ChannelProxy {
    private final ChannelServant channel;
    private final ProxyState state;
    /** The supplier's liveness, if it gave a reference: every push shows it is alive. */
    private volatile DeadClientDetector.Watch watch;

    ProxyPushConsumerServant(ChannelServant channel) {
        this.channel = channel;
        this.state = new ProxyState(channel);
    }

    @Override
    public ProxyState state() {
        return state;
    }

    /** Reads pushed events as {@link org.troupe.cdr.FastAny}s: bulk copies on every later hop. */
    @Override
    public org.omg.CORBA.portable.OutputStream _invoke(String method, org.omg.CORBA.portable.InputStream in,
            org.omg.CORBA.portable.ResponseHandler handler) {
        org.omg.CORBA.portable.OutputStream out = org.troupe.cdr.FastPushDispatch.invoke(_orb(), method, in, handler, this);
        return out != null ? out : super._invoke(method, in, handler);
    }

    @Override
    public Kind kind() {
        return Kind.PUSH_SUPPLIER;
    }

    @Override
    public boolean isConnected() {
        return state.isConnected();
    }

    @Override
    public void connect_push_supplier(PushSupplier pushSupplier) throws AlreadyConnected {
        state.connect();
        if (pushSupplier != null) { // nil: the supplier is not told about disconnects, nor probed
            state.peer("disconnect_push_supplier", pushSupplier, pushSupplier::disconnect_push_supplier);
            DeadClientDetector.Watch w = channel.peerCalls().liveness().watch(state.label("push supplier"),
                    pushSupplier, reason -> state.dispose());
            watch = w;
            state.onRelease(w::cancel);
            if (!state.isConnected()) { // disposed meanwhile
                w.cancel();
            }
        }
    }

    private void heard() {
        DeadClientDetector.Watch w = watch;
        if (w != null) {
            w.heard();
        }
    }

    @Override
    public void push(Any data) throws Disconnected {
        state.requireConnected();
        heard();
        EventValidation.check(data, "push");
        publish(new Any[] {data}, 1);
    }

    @Override
    public void push_batch(Any[] events) throws Disconnected {
        state.requireConnected();
        heard();
        EventValidation.checkBatch(events);
        publish(events, events.length);
    }

    private void publish(Any[] events, int n) {
        try {
            channel.core().publish(events, n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TRANSIENT("Troupe: server shutting down");
        }
    }

    @Override
    public void disconnect_push_consumer() {
        state.disconnectByClient();
    }

    @Override
    public void disconnectByChannel() {
        state.disconnectByChannel();
    }
}
