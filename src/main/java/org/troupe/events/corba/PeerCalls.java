package org.troupe.events.corba;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
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
 * Calls the channel makes to its clients that nobody waits for (disconnect call-backs), on a
 * small bounded pool so that a stopped or dead client never holds up the caller; and the rule
 * for which exceptions mean that a peer is gone.
 */
public final class PeerCalls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCalls.class);

    private final ThreadPoolExecutor pool;

    public PeerCalls() {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(2, 16, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "troupe-callback-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code call} (a disconnect call-back) in the background; failures are logged. */
    public void callBack(String what, Runnable call) {
        try {
            pool.execute(() -> {
                try {
                    call.run();
                } catch (SystemException e) {
                    LOG.debug("call-back {} failed: {}", what, e.toString());
                } catch (RuntimeException e) {
                    LOG.warn("call-back {} failed", what, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("call-back {} skipped: too many pending call-backs", what);
        }
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
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
