package org.troupe.server.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a push consumer's disconnect exact: once it is closed, no push call to the consumer
 * starts, and whoever closed it can wait (bounded) for the one call that may be in flight to end,
 * or have an action run as soon as it has (telling the consumer {@code disconnect_push_consumer}
 * only after its last push ended). A dispatcher brackets every push call with {@link #enter()} and
 * {@link #exit()}: per event for the standard {@code push}, per call for {@code push_batch}.
 */
final class DisconnectBarrier {
    private static final Logger LOG = LoggerFactory.getLogger(DisconnectBarrier.class);

    private boolean closed;
    private boolean inCall;
    private List<Runnable> whenIdle;

    /** Before a push call: true if it may start (not closed), and it is then in flight. */
    synchronized boolean enter() {
        if (closed) {
            return false;
        }
        inCall = true;
        return true;
    }

    /** After a push call, however it ended. */
    void exit() {
        List<Runnable> run;
        synchronized (this) {
            inCall = false;
            notifyAll();
            if (!closed || whenIdle == null) {
                return;
            }
            run = whenIdle;
            whenIdle = null;
        }
        run.forEach(DisconnectBarrier::runSafely);
    }

    /** No push call starts from now on. */
    synchronized void close() {
        closed = true;
    }

    /** Waits until no push call is in flight, at most {@code maxNanos}; true if none is. */
    synchronized boolean awaitIdle(long maxNanos) throws InterruptedException {
        long deadline = System.nanoTime() + maxNanos;
        while (inCall) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Runs {@code action} once no push call is in flight: at once if none is, else on the
     * dispatcher's thread when the call ends. Call after {@link #close()}.
     */
    void whenIdle(Runnable action) {
        synchronized (this) {
            if (inCall) {
                if (whenIdle == null) {
                    whenIdle = new ArrayList<>(2);
                }
                whenIdle.add(action);
                return;
            }
        }
        runSafely(action);
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            LOG.error("action after a consumer's last push failed", e);
        }
    }
}
