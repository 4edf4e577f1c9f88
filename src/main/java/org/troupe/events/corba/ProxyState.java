package org.troupe.events.corba;

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
    private volatile Runnable tellPeer;
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

    /** What disposing must release (a subscription, a thread). */
    void onRelease(Runnable r) {
        this.release = r;
    }

    /** The call-back that tells the connected client it was disconnected ({@code disconnect_*}). */
    void peer(String operation, Runnable call) {
        this.tellPeer = () -> channel.peerCalls().callBack(operation + " on " + id, call);
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

    /** The channel cut the client off (overflow, death): dispose, tell it if it can hear. */
    void evicted(boolean tellPeer) {
        if (dispose() && tellPeer) {
            tell();
        }
    }

    private void tell() {
        Runnable t = tellPeer;
        if (t != null) {
            t.run();
        }
    }

    static OBJECT_NOT_EXIST disposed() {
        return new OBJECT_NOT_EXIST("Troupe: this proxy was disconnected and disposed");
    }
}
