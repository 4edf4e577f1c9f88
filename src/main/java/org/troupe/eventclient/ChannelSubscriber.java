package org.troupe.eventclient;

import org.omg.CORBA.Any;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPushSupplier;
import org.omg.PortableServer.POA;
import org.troupe.cdr.FastPushDispatch;
import org.troupe.idl.Events.BatchPushConsumerPOA;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push consumer for any CosEvent channel. It implements Troupe's {@code BatchPushConsumer}, so
 * a Troupe channel sends it batches; a standard channel simply calls {@code push}. Either way
 * the listener sees one event at a time, in order.
 */
public final class ChannelSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelSubscriber.class);

    private final POA poa;
    private final Servant servant;
    private final ProxyPushSupplier proxy;

    private ChannelSubscriber(POA poa, Servant servant, ProxyPushSupplier proxy) {
        this.poa = poa;
        this.servant = servant;
        this.proxy = proxy;
    }

    /**
     * Connects a new push consumer to {@code channel}; {@code poa} (usually the root POA, with
     * its manager active) hosts the consumer object.
     */
    public static ChannelSubscriber connect(POA poa, EventChannel channel, EventListener listener) throws Exception {
        Servant servant = new Servant(listener);
        byte[] oid = poa.activate_object(servant);
        ProxyPushSupplier proxy = channel.for_consumers().obtain_push_supplier();
        proxy.connect_push_consumer(org.omg.CosEventComm.PushConsumerHelper.narrow(poa.id_to_reference(oid)));
        return new ChannelSubscriber(poa, servant, proxy);
    }

    /** True once the channel has disconnected this consumer. */
    public boolean disconnected() {
        return servant.disconnected;
    }

    @Override
    public void close() {
        try {
            if (!servant.disconnected) {
                proxy.disconnect_push_supplier();
            }
        } catch (org.omg.CORBA.SystemException e) {
            LOG.debug("disconnect_push_supplier: {}", e.toString());
        }
        try {
            poa.deactivate_object(poa.servant_to_id(servant));
        } catch (Exception e) {
            LOG.debug("deactivate consumer: {}", e.toString());
        }
    }

    private static final class Servant extends BatchPushConsumerPOA {
        private final EventListener listener;
        private volatile boolean disconnected;
        private long listenerErrors;

        Servant(EventListener listener) {
            this.listener = listener;
        }

        @Override
        public org.omg.CORBA.portable.OutputStream _invoke(String method, org.omg.CORBA.portable.InputStream in,
                org.omg.CORBA.portable.ResponseHandler handler) {
            org.omg.CORBA.portable.OutputStream out = FastPushDispatch.invoke(_orb(), method, in, handler, this);
            return out != null ? out : super._invoke(method, in, handler);
        }

        @Override
        public void push(Any data) {
            deliver(data);
        }

        @Override
        public void push_batch(Any[] events) {
            for (Any a : events) {
                deliver(a);
            }
        }

        /** A listener that throws loses only that event, not the rest of its batch. */
        private void deliver(Any event) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                long n = ++listenerErrors;
                if (Long.bitCount(n) == 1) {
                    LOG.warn("event listener failed ({} failures so far); delivery goes on", n, e);
                }
            }
        }

        @Override
        public void disconnect_push_consumer() {
            disconnected = true;
            listener.onDisconnected();
        }
    }
}
