package org.troupe.member.corba;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a member retries a call to the Group Manager: on a transport failure (TRANSIENT,
 * COMM_FAILURE, TIMEOUT), with the same arguments, after 20 ms, then twice as long each time up
 * to 500 ms, for a bounded time from the first failure; then the failure passes through. Every call a member retries
 * carries ids the manager applies once (join's request id, send's message ids, orders, leave), so
 * a retry after a lost reply is harmless. Any other exception passes through at once.
 */
final class RetryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);
    private static final long FIRST_PAUSE_MILLIS = 20;
    private static final long MAX_PAUSE_MILLIS = 500;

    /** A call that may be retried with the same arguments. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }

    private RetryPolicy() {
    }

    /** What to do about a transport failure before the call is tried again (find another server). */
    @FunctionalInterface
    interface Recovery {
        void recover(org.omg.CORBA.SystemException cause);
    }

    /** Runs {@code call}, retrying transport failures for up to {@code forMillis}. */
    static <T> T retrying(String what, long forMillis, Call<T> call) throws Exception {
        return retrying(what, forMillis, call, e -> { });
    }

    /**
     * Runs {@code call}, retrying transport failures for up to {@code forMillis} from the first
     * one; after each failure {@code recovery} may move the member to another server first. The
     * time counts from the first failure, not from the call: a call that hung on a frozen server
     * for longer than that still gets its retries once it fails.
     */
    static <T> T retrying(String what, long forMillis, Call<T> call, Recovery recovery) throws Exception {
        long deadline = 0;
        boolean failed = false;
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            try {
                return call.run();
            } catch (org.omg.CORBA.TRANSIENT | org.omg.CORBA.COMM_FAILURE | org.omg.CORBA.TIMEOUT e) {
                if (!failed) {
                    failed = true;
                    deadline = System.nanoTime() + forMillis * 1_000_000L;
                } else if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.debug("{}: {}; retrying", what, e.toString());
                recovery.recover(e);
                Thread.sleep(pause);
                pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            }
        }
    }
}
