package org.troupe.server.events.corba;

import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CosEventChannelAdmin.AlreadyConnected;
import org.omg.CosEventComm.Disconnected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one proxy, shared by the four proxy servants (they cannot share a base class: each
 * extends its generated skeleton): obtained, then connected once, then disposed for good. Disposing
 * releases what the proxy holds, removes its object (later calls raise OBJECT_NOT_EXIST) and, when
 * the specification says so, calls back the client on the other side. A proxy a client obtained
 * and did not connect within the channel's connect time-out is disposed by {@link #expire()}.
 */
final class ProxyState {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyState.class);

    private enum Phase { OBTAINED, CONNECTED, DISPOSED }

    private final ChannelServant channel;
    private Phase phase = Phase.OBTAINED;
    private volatile String id;
    private volatile Runnable release = () -> { };
    private volatile String tellOperation;
    private volatile org.omg.CORBA.Object peerRef;
    private volatile Runnable tellCall;
    /** What must happen before the client is told (a push consumer: its last push has ended). */
    private volatile java.util.function.Consumer<Runnable> beforeTell = Runnable::run;
    /** Run once when the proxy leaves OBTAINED (connected or disposed): the channel's count. */
    private Runnable leaveObtained;
    /** The pending disposal of a proxy left unconnected, cancelled when it leaves OBTAINED. */
    private java.util.concurrent.Future<?> expiry;

    ProxyState(ChannelServant channel) {
        this.channel = channel;
    }

    void setId(String id) {
        this.id = id;
    }

    /** The proxy's object id, e.g. {@code prices/17}. */
    String id() {
        return id;
    }

    /** What to run, once, when the proxy is connected or disposed, whichever comes first. */
    synchronized void onLeaveObtained(Runnable r) {
        this.leaveObtained = r;
    }

    /** The scheduled {@link #expire()}; cancelled if the proxy is connected or disposed first. */
    void expireAfter(java.util.concurrent.Future<?> pending) {
        boolean stillObtained;
        synchronized (this) {
            stillObtained = phase == Phase.OBTAINED;
            if (stillObtained) {
                expiry = pending;
            }
        }
        if (!stillObtained) {
            pending.cancel(false);
        }
    }

    /** Disposes the proxy if it was never connected (its connect time-out ran out); the client is not told. */
    void expire() {
        if (disposeFrom(Phase.OBTAINED)) {
            LOG.debug("proxy {} not connected in time: disposed", id);
        }
    }

    /** Leaving OBTAINED, under the lock: the channel's count goes down, the expiry is cancelled. */
    private void leftObtained() {
        Runnable r = leaveObtained;
        leaveObtained = null;
        if (r != null) {
            r.run();
        }
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
    }

    /** Something disposing must release (a subscription, a watch); each is run once, in order. */
    synchronized void onRelease(Runnable r) {
        Runnable before = release;
        this.release = () -> {
            before.run();
            r.run();
        };
    }

    /**
     * The connected client, and the call-back that tells it it was disconnected
     * ({@code disconnect_*} on {@code ref}).
     */
    void peer(String operation, org.omg.CORBA.Object ref, Runnable call) {
        this.tellOperation = operation;
        this.peerRef = ref;
        this.tellCall = call;
    }

    /**
     * The client is told only once {@code gate} runs the telling it is handed (a push consumer:
     * after its last push call ended, so that nothing reaches it after it was told).
     */
    void tellAfter(java.util.function.Consumer<Runnable> gate) {
        this.beforeTell = gate;
    }

    /** Moves to CONNECTED; raises AlreadyConnected, or OBJECT_NOT_EXIST once disposed. */
    synchronized void connect() throws AlreadyConnected {
        if (phase == Phase.DISPOSED) {
            throw disposed();
        }
        if (phase == Phase.CONNECTED) {
            throw new AlreadyConnected();
        }
        phase = Phase.CONNECTED;
        leftObtained();
    }

    /** Raises Disconnected unless connected (OBJECT_NOT_EXIST once disposed). */
    synchronized void requireConnected() throws Disconnected {
        if (phase == Phase.DISPOSED) {
            throw disposed();
        }
        if (phase != Phase.CONNECTED) {
            throw new Disconnected();
        }
    }

    /** The channel's name and this proxy, for logs. */
    String label(String kind) {
        return "channel " + channel.core().name() + ": " + kind + " " + id;
    }

    synchronized boolean isDisposed() {
        return phase == Phase.DISPOSED;
    }

    synchronized boolean isConnected() {
        return phase == Phase.CONNECTED;
    }

    /** Disposes the proxy; returns true only for the call that did it. The peer is not told. */
    boolean dispose() {
        return disposeFrom(null);
    }

    /** Disposes the proxy if it is in phase {@code only} (null: any phase but DISPOSED). */
    private boolean disposeFrom(Phase only) {
        synchronized (this) {
            if (phase == Phase.DISPOSED || (only != null && phase != only)) {
                return false;
            }
            if (phase == Phase.OBTAINED) {
                leftObtained();
            }
            phase = Phase.DISPOSED;
        }
        release.run();
        channel.removeProxy(id);
        return true;
    }

    /** The client called {@code disconnect_*}: dispose, and call back the other side (spec). */
    void disconnectByClient() {
        if (dispose()) {
            tell();
        }
    }

    /** The channel is destroyed: dispose, and tell the client if it was connected. */
    void disconnectByChannel() {
        boolean wasConnected = isConnected();
        if (dispose() && wasConnected) {
            tell();
        }
    }

    /**
     * The channel cut the client off (overflow, a push that failed): dispose, and tell it as soon
     * as it answers if {@code tellPeer} (it may be stopped now).
     */
    void evicted(boolean tellPeer) {
        if (dispose() && tellPeer) {
            tell(true);
        }
    }

    private void tell() {
        tell(false);
    }

    private void tell(boolean probeFirst) {
        Runnable call = tellCall;
        if (call == null) {
            return;
        }
        String what = tellOperation + " on " + id;
        org.omg.CORBA.Object ref = peerRef;
        beforeTell.accept(() -> channel.peerCalls().teller().tell(what, ref, call, probeFirst));
    }

    static OBJECT_NOT_EXIST disposed() {
        return new OBJECT_NOT_EXIST("Troupe: this proxy was disconnected and disposed");
    }
}
