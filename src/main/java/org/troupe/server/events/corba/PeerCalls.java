package org.troupe.server.events.corba;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.omg.CORBA.BAD_OPERATION;
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
 * Calls the channels make to their clients that nobody waits for (disconnect call-backs, probes
 * of a client's liveness), on one small bounded pool, so that a stopped or dead client never holds
 * up the caller; the server's one timer of the channels (proxies left unconnected, retries of
 * call-backs, the liveness sweep); and the rule for which exceptions mean that a peer is gone.
 * Every task run here is guarded: a Throwable is logged, and the pool and timer go on.
 */
public final class PeerCalls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCalls.class);
    /** Calls to clients at once, at most (each waits at most the reply time-out). */
    static final int MAX_THREADS = 16;
    /** Calls waiting for a thread, at most; past that a call-back is skipped and logged. */
    static final int MAX_WAITING = 10_000;

    /** Consumers whose type is asked at once, at most, and asks waiting for a thread. */
    static final int PROBE_THREADS = 8;
    static final int PROBES_WAITING = 64;
    /** The longest a connect waits for its consumer to say what it is. */
    static final long PROBE_WAIT_MILLIS = 2_000;

    private final ThreadPoolExecutor pool;
    /** Asks consumers what they are, for requests that wait a short, bounded time (see {@link #consumerType}). */
    private final ThreadPoolExecutor probes;
    private final ScheduledThreadPoolExecutor timer;
    private final DisconnectTeller teller;
    private final DeadClientDetector liveness;

    public PeerCalls() {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING), r -> {
                    Thread t = new Thread(r, "troupe-callback-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // idle servers keep no threads
        AtomicInteger p = new AtomicInteger();
        probes = new ThreadPoolExecutor(PROBE_THREADS, PROBE_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(PROBES_WAITING), r -> {
                    Thread t = new Thread(r, "troupe-probe-" + p.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        probes.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "troupe-channel-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a connected proxy's expiry leaves the queue at once
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        teller = new DisconnectTeller(this);
        liveness = new DeadClientDetector(this);
    }

    /** The channels' one timer thread. Its tasks must not block (blocking calls go to {@link #execute}). */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /** Tells disconnected clients, retrying until they answer (within a bound). */
    DisconnectTeller teller() {
        return teller;
    }

    /** Finds clients whose process died. */
    DeadClientDetector liveness() {
        return liveness;
    }

    /**
     * Runs {@code task} (a call to a client) on the pool; a Throwable it raises is logged.
     * Returns false if it was not accepted (too many calls waiting, or the server is stopping).
     */
    boolean execute(String what, Runnable task) {
        try {
            pool.execute(() -> guarded(what, task));
            return true;
        } catch (RejectedExecutionException e) {
            LOG.warn("{} skipped: {} calls to clients already waiting, or the server is stopping", what, MAX_WAITING);
            return false;
        }
    }

    /** Runs {@code task} on the timer after {@code delayMillis} (it must not block); false if stopping. */
    boolean schedule(String what, Runnable task, long delayMillis) {
        try {
            timer.schedule(() -> guarded(what, task), delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // the server is stopping
        }
    }

    static void guarded(String what, Runnable task) {
        org.troupe.server.Guarded.run(what, LOG, task);
    }

    /**
     * True if the exception from a call means the peer is dead, stopped past the reply time-out,
     * unreachable, or not the kind of object it claimed to be.
     */
    public static boolean peerGone(SystemException e) {
        return e instanceof COMM_FAILURE || e instanceof TRANSIENT || e instanceof OBJECT_NOT_EXIST
                || e instanceof TIMEOUT || e instanceof NO_RESPONSE || e instanceof INV_OBJREF
                || e instanceof BAD_OPERATION;
    }

    /**
     * True if a peer that failed a call this way may answer later: it did not answer in time
     * (stopped, overloaded) or could not be reached (its process or network may come back).
     */
    public static boolean mayAnswerLater(SystemException e) {
        return e instanceof TIMEOUT || e instanceof NO_RESPONSE || e instanceof COMM_FAILURE || e instanceof TRANSIENT;
    }

    /**
     * BAD_PARAM's minor code from {@link #consumerType}: the consumer could not be reached over
     * the network just now (no connection, or it broke), as opposed to a reference that is not a
     * consumer at all. A caller that knows the consumer's process is alive may ask again.
     */
    public static final int CONSUMER_UNREACHABLE_MINOR = 0x54520010;

    /** What a consumer says it is. */
    enum ConsumerType { NOT_A_CONSUMER, PUSH, BATCH_PUSH }

    /**
     * Asks {@code peer} whether it is a PushConsumer, and a BatchPushConsumer, on the probe pool:
     * the request thread that connects it waits at most {@link #PROBE_WAIT_MILLIS}, so that
     * consumers naming an unreachable host (whose connects JacORB makes one after the other, each
     * up to the connect time-out) cannot hold the ORB's request threads, which heartbeats need.
     *
     * @throws TRANSIENT it did not answer in time, or too many asks are waiting (retry)
     * @throws org.omg.CORBA.BAD_PARAM it cannot be reached (minor {@link #CONSUMER_UNREACHABLE_MINOR} if
     *         the network failed)
     */
    ConsumerType consumerType(org.omg.CORBA.ORB orb, org.omg.CORBA.Object peer, String consumerId,
            String batchId, String op) {
        java.util.concurrent.Future<ConsumerType> answer;
        try {
            answer = probes.submit(() -> !isA(orb, peer, consumerId) ? ConsumerType.NOT_A_CONSUMER
                    : isA(orb, peer, batchId) ? ConsumerType.BATCH_PUSH : ConsumerType.PUSH);
        } catch (RejectedExecutionException e) {
            throw new TRANSIENT("Troupe: " + op + ": " + (PROBE_THREADS + PROBES_WAITING)
                    + " consumers are being reached already; retry", 0, org.omg.CORBA.CompletionStatus.COMPLETED_NO);
        }
        try {
            return answer.get(PROBE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            throw new TRANSIENT("Troupe: " + op + ": the consumer did not answer within " + PROBE_WAIT_MILLIS
                    + " ms", 0, org.omg.CORBA.CompletionStatus.COMPLETED_NO);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            int minor = cause instanceof SystemException se && mayAnswerLater(se) ? CONSUMER_UNREACHABLE_MINOR : 0;
            throw new org.omg.CORBA.BAD_PARAM("Troupe: " + op + ": cannot reach the consumer: " + cause, minor,
                    org.omg.CORBA.CompletionStatus.COMPLETED_NO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TRANSIENT("Troupe: server shutting down");
        }
    }

    /**
     * Asks the object itself whether it is a {@code repositoryId}. JacORB's own {@code _is_a}
     * answers from the stub's Java type: any reference that arrived as, say, a PushConsumer
     * parameter "is" a PushConsumer, whatever the object really is. An untyped copy of the
     * reference has only its IOR's type id, so anything else is asked remotely.
     */
    public static boolean isA(org.omg.CORBA.ORB orb, org.omg.CORBA.Object peer, String repositoryId) {
        return orb.string_to_object(orb.object_to_string(peer))._is_a(repositoryId);
    }

    @Override
    public void close() {
        liveness.close();
        timer.shutdownNow();
        probes.shutdownNow();
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
