package org.troupe.server.events.corba;

import org.omg.CORBA.Any;
import org.omg.CORBA.BooleanHolder;
import org.omg.CORBA.CompletionStatus;
import org.omg.CORBA.TRANSIENT;
import org.omg.CosEventChannelAdmin.AlreadyConnected;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.PullConsumer;
import org.troupe.server.events.Subscription;
import org.troupe.idl.Events.BatchProxyPullSupplierPOA;

/**
 * Where a pull consumer pulls from its own queue: {@code pull} blocks until an event arrives
 * (or the proxy is disconnected or the channel destroyed, which raise Disconnected), for at most
 * the channel's pull time limit: then it raises TRANSIENT with COMPLETED_NO (nothing was taken;
 * the standard answer "try again", which omniORB's own event service gives as well) and the
 * consumer pulls again. A pull that finds the server's cap of waiting pulls reached
 * ({@link WaitingPulls}) does the same at once, unless an event is queued;
 * {@code try_pull} never blocks; {@code pull_batch} / {@code try_pull_batch} are the batch fast
 * path.
 */
final class ProxyPullSupplierServant extends BatchProxyPullSupplierPOA implements ChannelProxy {
    private static final long WAIT_SLICE_NANOS = 200_000_000L;
    /**
     * The minor code of the TRANSIENT a pull raises when it may not wait any longer: Troupe's
     * vendor id is none, so 0 ("no event yet; pull again"), with COMPLETED_NO.
     */
    static final int TIMED_OUT_MINOR = 0;

    private final ChannelServant channel;
    private final ProxyState state;
    private volatile Subscription subscription;
    /** The consumer's liveness, if it gave a reference: every pull call shows it is alive. */
    private volatile DeadClientDetector.Watch watch;

    /** What the consumer is sent of each event (null: every event as it is). */
    private final org.troupe.server.events.EventFilter filter;

    ProxyPullSupplierServant(ChannelServant channel, org.troupe.server.events.EventFilter filter) {
        this.channel = channel;
        this.state = new ProxyState(channel);
        this.filter = filter;
    }

    @Override
    public ProxyState state() {
        return state;
    }

    @Override
    public Kind kind() {
        return Kind.PULL_CONSUMER;
    }

    @Override
    public boolean isConnected() {
        return state.isConnected();
    }

    @Override
    public void connect_pull_consumer(PullConsumer pullConsumer) throws AlreadyConnected {
        Runnable place = channel.takeConsumerPlace();
        try {
            state.connect();
        } catch (AlreadyConnected | RuntimeException e) {
            place.run();
            throw e;
        }
        state.onRelease(place);
        Subscription sub = channel.core().subscribe("pull consumer " + state.id(), filter);
        subscription = sub;
        state.onRelease(sub::close);
        sub.onEvicted((reason, tell) -> state.evicted(tell));
        if (pullConsumer != null) { // nil: the consumer is not told about disconnects, nor probed
            state.peer("disconnect_pull_consumer", pullConsumer, pullConsumer::disconnect_pull_consumer);
            DeadClientDetector.Watch w = channel.peerCalls().liveness().watch(state.label("pull consumer"),
                    pullConsumer, reason -> sub.evict("found dead: " + reason, false));
            watch = w;
            state.onRelease(w::cancel);
        }
        if (!state.isConnected()) {
            place.run();
            sub.close();
            DeadClientDetector.Watch w = watch;
            if (w != null) {
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
    public Any pull() throws Disconnected {
        return pullBatch(1, "pull")[0];
    }

    @Override
    public Any try_pull(BooleanHolder hasEvent) throws Disconnected {
        Any[] got = tryPullBatch(1);
        hasEvent.value = got.length == 1;
        return got.length == 1 ? got[0] : channel.orb().create_any();
    }

    @Override
    public Any[] pull_batch(int max) throws Disconnected {
        return pullBatch(EventValidation.batchSize(max, "pull_batch"), "pull_batch");
    }

    @Override
    public Any[] try_pull_batch(int max) throws Disconnected {
        return tryPullBatch(EventValidation.batchSize(max, "try_pull_batch"));
    }

    private Any[] pullBatch(int max, String op) throws Disconnected {
        Subscription sub = connectedSubscription();
        Any[] buf = new Any[max];
        heard(); // the call shows it alive; while it waits in pull, it is probed like any silent client
        int ready = sub.poll(buf, max);
        if (ready < 0) {
            throw new Disconnected();
        }
        if (ready > 0) {
            return ready == max ? buf : java.util.Arrays.copyOf(buf, ready);
        }
        WaitingPulls waits = channel.waitingPulls();
        if (!waits.enter()) {
            throw new TRANSIENT("Troupe: " + waits.max() + " pulls already wait for events on this server; " + op
                    + " again later (or use try_pull)", TIMED_OUT_MINOR, CompletionStatus.COMPLETED_NO);
        }
        long waitMillis = channel.core().settings().pullWaitMillis();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) { // nothing was taken: the consumer pulls again, as after any TRANSIENT
                    throw new TRANSIENT("Troupe: no event within the pull time limit of " + waitMillis + " ms; "
                            + op + " again", TIMED_OUT_MINOR, CompletionStatus.COMPLETED_NO);
                }
                int n = sub.take(buf, max, Math.min(left, WAIT_SLICE_NANOS));
                if (n < 0) {
                    throw new Disconnected(); // disconnected or destroyed while waiting
                }
                if (n > 0) {
                    return n == max ? buf : java.util.Arrays.copyOf(buf, n);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TRANSIENT("Troupe: server shutting down during " + op);
        } finally {
            waits.exit();
        }
    }

    private Any[] tryPullBatch(int max) throws Disconnected {
        Subscription sub = connectedSubscription();
        heard();
        Any[] buf = new Any[max];
        int n = sub.poll(buf, max);
        if (n < 0) {
            throw new Disconnected();
        }
        return n == max ? buf : java.util.Arrays.copyOf(buf, n);
    }

    private Subscription connectedSubscription() throws Disconnected {
        state.requireConnected();
        return subscription;
    }

    @Override
    public void disconnect_pull_supplier() {
        state.disconnectByClient();
    }

    @Override
    public void disconnectByChannel() {
        state.disconnectByChannel();
    }
}
