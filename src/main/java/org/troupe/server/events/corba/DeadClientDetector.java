package org.troupe.server.events.corba;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.omg.CORBA.COMM_FAILURE;
import org.omg.CORBA.INV_OBJREF;
import org.omg.CORBA.NO_RESPONSE;
import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CORBA.SystemException;
import org.omg.CORBA.TIMEOUT;
import org.omg.CORBA.TRANSIENT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds connected clients whose process died, by the means the specification allows: a client
 * that gave the channel a reference (a push supplier's or pull consumer's call-back object, a
 * pull supplier, a push consumer) and that the channel has not heard from for
 * {@link #SILENCE_MILLIS} (no call from it, no call to it that returned) is probed with
 * {@code _non_existent}. It is dead when the probe says it does not exist
 * ({@code _non_existent} true, OBJECT_NOT_EXIST, INV_OBJREF), or when {@link #FAILED_PROBES}
 * probes in a row cannot reach it (TRANSIENT, COMM_FAILURE: its process is gone); then its proxy
 * is disposed. A client that does not answer in time (TIMEOUT: stopped) is alive: it is probed
 * again, and only its queue policy applies to it.
 *
 * <p>Bound: a client whose host refuses the connection (its process died) is found within
 * {@code SILENCE + SWEEP + (FAILED_PROBES - 1) x SWEEP} = 7 s of the last time the channel heard
 * from it, plus the probes' own time (each at most the connect time-out, 3 s, when its host does
 * not answer at all).
 *
 * <p>One sweep task on the channels' timer, every {@link #SWEEP_MILLIS}; probes run on the
 * {@link PeerCalls} pool, at most one at a time per client. Both survive any Throwable.
 */
final class DeadClientDetector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadClientDetector.class);
    /** A client heard from within this is not probed. */
    static final long SILENCE_MILLIS = 5_000;
    /** How often the silent clients are looked for. */
    static final long SWEEP_MILLIS = 1_000;
    /** Probes in a row that cannot reach a client before it counts as dead. */
    static final int FAILED_PROBES = 2;

    private final PeerCalls calls;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweep;

    DeadClientDetector(PeerCalls calls) {
        this.calls = calls;
        this.sweep = calls.timer().scheduleWithFixedDelay(() -> PeerCalls.guarded("liveness sweep", this::sweep),
                SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Watches a connected client.
     *
     * @param what for logs, e.g. {@code channel prices: push supplier prices/17...}
     * @param client its reference
     * @param onDead run once if it is found dead (with the reason): disposes its proxy
     */
    Watch watch(String what, org.omg.CORBA.Object client, Consumer<String> onDead) {
        Watch w = new Watch(what, client, onDead);
        watches.add(w);
        return w;
    }

    /** How many clients are watched (for tests and statistics). */
    int watched() {
        return watches.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        long silence = TimeUnit.MILLISECONDS.toNanos(SILENCE_MILLIS);
        for (Watch w : watches) {
            if (now - w.lastHeard >= silence && w.probing.compareAndSet(false, true)) {
                if (!calls.execute("probe of " + w.what, w::probe)) {
                    w.probing.set(false);
                }
            }
        }
    }

    @Override
    public void close() {
        sweep.cancel(false);
        watches.clear();
    }

    /** One watched client. */
    final class Watch {
        private final String what;
        private final org.omg.CORBA.Object client;
        private final Consumer<String> onDead;
        private final AtomicBoolean probing = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile long lastHeard = System.nanoTime();
        private int failures;

        Watch(String what, org.omg.CORBA.Object client, Consumer<String> onDead) {
            this.what = what;
            this.client = client;
            this.onDead = onDead;
        }

        /** The client showed it is alive: a call from it, or a call to it that returned. */
        void heard() {
            lastHeard = System.nanoTime();
        }

        /** Stops watching (the proxy is disposed). */
        void cancel() {
            done.set(true);
            watches.remove(this);
        }

        private void probe() {
            try {
                if (done.get()) {
                    return;
                }
                if (client._non_existent()) {
                    dead("its object no longer exists (_non_existent)");
                } else {
                    alive();
                }
            } catch (OBJECT_NOT_EXIST | INV_OBJREF e) {
                dead(e.toString());
            } catch (TRANSIENT | COMM_FAILURE e) {
                if (++failures >= FAILED_PROBES) {
                    dead(failures + " probes in a row could not reach it (" + e + ")");
                }
            } catch (TIMEOUT | NO_RESPONSE e) {
                failures = 0; // stopped or slow, not dead: probed again at the next sweep
            } catch (SystemException e) {
                alive(); // it answered, if only with an exception
            } finally {
                probing.set(false);
            }
        }

        private void alive() {
            failures = 0;
            heard();
        }

        private void dead(String reason) {
            if (done.compareAndSet(false, true)) {
                watches.remove(this);
                LOG.warn("{}: found dead: {}; disposed", what, reason);
                onDead.accept(reason);
            }
        }
    }
}
