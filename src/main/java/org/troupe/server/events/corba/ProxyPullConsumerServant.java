package org.troupe.server.events.corba;

import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_PARAM;
import org.omg.CORBA.BooleanHolder;
import org.omg.CORBA.SystemException;
import org.omg.CosEventChannelAdmin.AlreadyConnected;
import org.omg.CosEventChannelAdmin.ProxyPullConsumerPOA;
import org.omg.CosEventChannelAdmin.TypeError;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.PullSupplier;
import org.omg.CosEventComm.PullSupplierHelper;
import org.troupe.idl.Events.BatchPullSupplier;
import org.troupe.idl.Events.BatchPullSupplierHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls events from one pull supplier on its own thread and publishes them. It polls with
 * {@code try_pull} (or {@code try_pull_batch} when the supplier implements
 * {@code BatchPullSupplier}), draining everything available, then backs off from 0 up to the
 * configured pull interval while the supplier has nothing. It pulls only while some consumer is
 * connected and flow control lets suppliers publish: never while nobody would get the events,
 * nor faster than the consumers that keep up take them. While it is not pulled, the supplier is
 * probed like any silent client and disposed once found dead.
 */
final class ProxyPullConsumerServant extends ProxyPullConsumerPOA implements ChannelProxy {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyPullConsumerServant.class);

    private final ChannelServant channel;
    private final ProxyState state;
    private long badEvents;
    private volatile DeadClientDetector.Watch watch;
    /** How long the poller waits for demand before it looks again whether it is still connected. */
    private static final long DEMAND_WAIT_NANOS = 200_000_000L;

    ProxyPullConsumerServant(ChannelServant channel) {
        this.channel = channel;
        this.state = new ProxyState(channel);
    }

    @Override
    public ProxyState state() {
        return state;
    }

    @Override
    public Kind kind() {
        return Kind.PULL_SUPPLIER;
    }

    @Override
    public boolean isConnected() {
        return state.isConnected();
    }

    @Override
    public void connect_pull_supplier(PullSupplier pullSupplier) throws AlreadyConnected, TypeError {
        if (pullSupplier == null) {
            throw new BAD_PARAM("Troupe: connect_pull_supplier: the supplier reference is nil");
        }
        boolean batch;
        try {
            if (!PeerCalls.isA(channel.orb(), pullSupplier, PullSupplierHelper.id())) {
                throw new TypeError();
            }
            batch = PeerCalls.isA(channel.orb(), pullSupplier, BatchPullSupplierHelper.id());
        } catch (SystemException e) {
            throw new BAD_PARAM("Troupe: connect_pull_supplier: cannot reach the supplier: " + e);
        }
        state.connect();
        state.peer("disconnect_pull_supplier", pullSupplier, pullSupplier::disconnect_pull_supplier);
        DeadClientDetector.Watch w = channel.peerCalls().liveness().watch(state.label("pull supplier"), pullSupplier,
                reason -> state.dispose());
        watch = w;
        state.onRelease(w::cancel);
        if (!state.isConnected()) {
            w.cancel();
            return;
        }
        BatchPullSupplier batchSupplier = batch ? BatchPullSupplierHelper.unchecked_narrow(pullSupplier) : null;
        Thread t = new Thread(() -> pollLoop(pullSupplier, batchSupplier), "troupe-pull-" + state.id());
        t.setDaemon(true);
        t.start();
    }

    private void pollLoop(PullSupplier s, BatchPullSupplier batchSupplier) {
        int batchMax = channel.core().settings().batchMax();
        long maxSleep = channel.core().settings().pullIntervalMaxMillis();
        long sleep = 0;
        Any[] buf = new Any[batchMax];
        try {
            while (state.isConnected()) {
                if (!channel.core().awaitDemand(DEMAND_WAIT_NANOS)) {
                    continue; // no consumer, or flow control holds suppliers back: do not pull
                }
                int n = batchSupplier != null ? pullBatch(batchSupplier, buf, batchMax) : pullSingles(s, buf, batchMax);
                watch.heard();
                if (n > 0) {
                    channel.core().publish(buf, n);
                    java.util.Arrays.fill(buf, 0, n, null);
                    sleep = 0;
                } else {
                    sleep = Math.min(maxSleep, sleep == 0 ? 1 : sleep * 2);
                    Thread.sleep(sleep); // the poll interval of a supplier that has nothing
                }
            }
        } catch (Disconnected e) {
            LOG.info("channel {}: pull supplier {} raised Disconnected; proxy disposed", channel.core().name(), state.id());
            state.dispose();
        } catch (SystemException e) {
            if (PeerCalls.peerGone(e)) {
                LOG.warn("channel {}: pull supplier {} gone ({}); proxy disposed", channel.core().name(), state.id(), e.toString());
                state.dispose();
            } else { // its own try_pull failed: it is told, so that it does not wait for pulls for ever
                LOG.warn("channel {}: pull supplier {} failed ({}); proxy disposed", channel.core().name(), state.id(), e.toString());
                state.disconnectByChannel();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("channel {}: pull supplier {}: poller failed; proxy disposed", channel.core().name(), state.id(), e);
            state.disconnectByChannel();
        }
    }

    private int pullBatch(BatchPullSupplier s, Any[] buf, int max) throws Disconnected {
        Any[] got = org.troupe.cdr.FastPull.tryPullBatch(channel.orb(), s, max);
        int n = 0;
        for (Any a : got) {
            if (valid(a) && n < max) {
                buf[n++] = a;
            }
        }
        return n;
    }

    private int pullSingles(PullSupplier s, Any[] buf, int max) throws Disconnected {
        int n = 0;
        BooleanHolder has = new BooleanHolder();
        while (n < max && state.isConnected()) {
            Any a = s.try_pull(has);
            if (!has.value) {
                break;
            }
            if (valid(a)) {
                buf[n++] = org.troupe.cdr.FastAny.of(channel.orb(), a); // cheap to fan out
            }
        }
        return n;
    }

    private boolean valid(Any a) {
        try {
            EventValidation.check(a, "pulled event");
            return true;
        } catch (BAD_PARAM e) {
            if (Long.bitCount(++badEvents) == 1) {
                LOG.warn("channel {}: pull supplier {}: {} ({} such events dropped)", channel.core().name(), state.id(),
                        e.getMessage(), badEvents);
            }
            return false;
        }
    }

    @Override
    public void disconnect_pull_consumer() {
        state.disconnectByClient();
    }

    @Override
    public void disconnectByChannel() {
        state.disconnectByChannel();
    }
}
