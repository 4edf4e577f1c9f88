package org.troupe.server.events.corba;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide cap on {@code pull} calls waiting for an event at once. Each waiting pull holds
 * one of the ORB's request threads; without a cap, a few hundred pulls on an idle channel hold
 * all of them and the server serves nothing else. A pull that cannot wait returns an event if
 * one is queued, and otherwise raises TRANSIENT at once (see {@link ProxyPullSupplierServant}).
 */
final class WaitingPulls {
    private static final Logger LOG = LoggerFactory.getLogger(WaitingPulls.class);

    private final int max;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    WaitingPulls(int max) {
        this.max = max;
    }

    /** Takes a place to wait in; false (and it is logged, sparsely) when all {@link #max} are taken. */
    boolean enter() {
        if (waiting.getAndUpdate(n -> n < max ? n + 1 : n) < max) {
            return true;
        }
        long n = refused.incrementAndGet();
        if (Long.bitCount(n) == 1) { // 1, 2, 4, 8 ...: visible without flooding the log
            LOG.warn("{} pulls already wait for events on this server, the limit: further pulls on an empty queue"
                    + " raise TRANSIENT at once ({} so far)", max, n);
        }
        return false;
    }

    /** Gives back a place taken by {@link #enter}. */
    void exit() {
        waiting.decrementAndGet();
    }

    int max() {
        return max;
    }

    /** Pulls waiting now. */
    int waiting() {
        return waiting.get();
    }
}
