package org.troupe.events.corba;

import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CosEventChannelAdmin.AlreadyConnected;
import org.omg.CosEventComm.Disconnected;

/**
 * The life of one proxy: obtained, then connected once, then disposed for good. Shared by the
 * four proxy servants (they cannot share a base class: each extends its generated skeleton).
 */
final class ProxyState {
    private enum Phase { OBTAINED, CONNECTED, DISPOSED }

    private Phase phase = Phase.OBTAINED;

    /** Moves to CONNECTED; raises AlreadyConnected, or OBJECT_NOT_EXIST once disposed. */
    synchronized void connect() throws AlreadyConnected {
        if (phase == Phase.DISPOSED) {
            throw disposed();
        }
        if (phase == Phase.CONNECTED) {
            throw new AlreadyConnected();
        }
        phase = Phase.CONNECTED;
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

    synchronized boolean isConnected() {
        return phase == Phase.CONNECTED;
    }

    /** Moves to DISPOSED; returns true only for the call that did it. */
    synchronized boolean dispose() {
        if (phase == Phase.DISPOSED) {
            return false;
        }
        phase = Phase.DISPOSED;
        return true;
    }

    static OBJECT_NOT_EXIST disposed() {
        return new OBJECT_NOT_EXIST("Troupe: this proxy was disconnected and disposed");
    }
}
