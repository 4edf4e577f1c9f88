package org.troupe.server.events.corba;

import java.util.concurrent.TimeUnit;
import org.omg.CORBA.COMM_FAILURE;
import org.omg.CORBA.NO_RESPONSE;
import org.omg.CORBA.SystemException;
import org.omg.CORBA.TIMEOUT;
import org.omg.CORBA.TRANSIENT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client the channel disconnects is told ({@code disconnect_push_consumer} and the like) as
 * soon as it answers, off the caller's path: the call-back runs on the {@link PeerCalls} pool
 * (each call waits at most the reply time-out). If the client does not answer (stopped, or
 * unreachable for a while), it is probed with {@code _non_existent} every {@link #RETRY_MILLIS}
 * after the previous attempt ended, for up to {@link #WINDOW_MILLIS} after the disconnect, and
 * told once a probe answers. A client that stays silent longer is not told (logged).
 *
 * <p>Told once: a call-back that timed out was sent, and sits in the client's connection ahead of
 * the probes; once a probe is answered, the client has read it, so it is not sent again. A
 * call-back that could not be sent (the connection failed) is sent again once a probe answers.
 * A client known not to answer (cut off because a push to it timed out) is probed before the
 * call-back is sent.
 */
final class DisconnectTeller {
    private static final Logger LOG = LoggerFactory.getLogger(DisconnectTeller.class);
    /** The pause between the end of one attempt to reach a silent client and the next. */
    static final long RETRY_MILLIS = 1_000;
    /** How long after the disconnect a silent client is still tried. */
    static final long WINDOW_MILLIS = 60_000;

    private final PeerCalls calls;

    DisconnectTeller(PeerCalls calls) {
        this.calls = calls;
    }

    /**
     * Tells {@code peer} it was disconnected by running {@code call} ({@code disconnect_*} on it).
     *
     * @param what for logs, e.g. {@code disconnect_push_consumer on prices/17...}
     * @param probeFirst true if the client is known not to answer right now: probe it first
     */
    void tell(String what, org.omg.CORBA.Object peer, Runnable call, boolean probeFirst) {
        Attempt a = new Attempt(what, peer, call, probeFirst);
        calls.execute("telling " + what, a);
    }

    /** One client to tell, tried until told, gone, or out of time. */
    private final class Attempt implements Runnable {
        private final String what;
        private final org.omg.CORBA.Object peer;
        private final Runnable call;
        private final long deadline;
        private boolean probe;
        /** The call-back went out and timed out: it waits in the client's connection. */
        private boolean sentUnanswered;
        private int attempts;

        Attempt(String what, org.omg.CORBA.Object peer, Runnable call, boolean probeFirst) {
            this.what = what;
            this.peer = peer;
            this.call = call;
            this.probe = probeFirst && peer != null;
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
        }

        @Override
        public void run() {
            attempts++;
            boolean calling = false;
            try {
                if (probe) {
                    if (peer._non_existent()) {
                        LOG.debug("{}: not told, the client's object no longer exists", what);
                        return;
                    }
                    if (sentUnanswered) {
                        LOG.debug("{}: told (the call-back that timed out was ahead of an answered probe)", what);
                        return;
                    }
                }
                calling = true;
                call.run();
                if (attempts > 1) {
                    LOG.info("{}: told at attempt {}", what, attempts);
                }
            } catch (SystemException e) {
                if (e instanceof TIMEOUT || e instanceof NO_RESPONSE) {
                    sentUnanswered |= calling;
                    retry(e);
                } else if (e instanceof TRANSIENT || e instanceof COMM_FAILURE) {
                    sentUnanswered = false; // the connection failed: what waited in it may be lost
                    retry(e);
                } else {
                    // no such object, not a client of that kind, or its own call-back failed:
                    // nothing more to tell
                    LOG.debug("{}: {}", what, e.toString());
                }
            }
        }

        private void retry(SystemException e) {
            probe = peer != null;
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS) - deadline > 0 || !probe) {
                LOG.warn("{}: not told: the client did not answer for {} ms ({} attempts, last {})", what,
                        WINDOW_MILLIS, attempts, e.toString());
                return;
            }
            if (attempts == 1) {
                LOG.info("{}: the client does not answer ({}); trying again every {} ms for up to {} ms", what,
                        e.toString(), RETRY_MILLIS, WINDOW_MILLIS);
            }
            calls.schedule("retry of " + what, () -> calls.execute("telling " + what, this), RETRY_MILLIS);
        }
    }
}
