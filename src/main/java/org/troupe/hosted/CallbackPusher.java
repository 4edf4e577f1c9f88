package org.troupe.hosted;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.MemberCallback;

/**
 * Push delivery for one hosted member: takes batches from its {@link Outbox} and calls the
 * client's {@code MemberCallback::deliver}, one call at a time, in order. When there is nothing
 * to deliver for {@code heartbeatMillis} it calls with an empty list (a liveness probe). A call
 * that raises (the client is gone: COMM_FAILURE, TRANSIENT, OBJECT_NOT_EXIST; or it did not
 * return within the time-out set on the reference: TIMEOUT) removes the member.
 *
 * <p>In a cluster it calls only while its server's {@link PushLease} is valid (a batch waits,
 * kept, until it is renewed), reports each acknowledged batch's highest sequence id to it, and
 * stops without a word when another server took the member over (that server pushes from the
 * recorded position on).
 */
final class CallbackPusher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackPusher.class);

    private final String label;
    private final MemberCallback callback;
    private final Outbox outbox;
    private final long heartbeatMillis;
    private final Consumer<String> remove;
    private final Runnable alive;
    private final PushLease lease;
    private final Runnable takenOver;

    CallbackPusher(String label, MemberCallback callback, Outbox outbox, long heartbeatMillis,
            Consumer<String> remove, Runnable alive) {
        this(label, callback, outbox, heartbeatMillis, remove, alive, null, () -> { });
    }

    /**
     * @param lease the lease this server calls under (null: a server on its own, always)
     * @param takenOver run once when another server took the member over and this pusher stopped
     */
    CallbackPusher(String label, MemberCallback callback, Outbox outbox, long heartbeatMillis,
            Consumer<String> remove, Runnable alive, PushLease lease, Runnable takenOver) {
        this.label = label;
        this.callback = callback;
        this.outbox = outbox;
        this.heartbeatMillis = heartbeatMillis;
        this.remove = remove;
        this.alive = alive;
        this.lease = lease;
        this.takenOver = takenOver;
    }

    /** Waits until the lease allows a call; false if the member was taken over by another server. */
    private boolean leaseHeld() throws InterruptedException {
        if (lease == null) {
            return true;
        }
        while (!lease.mayPush()) {
            if (lease.taken()) {
                return false;
            }
            Thread.sleep(Math.min(50, heartbeatMillis)); // the cluster did not answer: the batch waits
        }
        return true;
    }

    @Override
    public void run() {
        try {
            while (!outbox.drained()) {
                List<Delivery> batch = outbox.take(Outbox.MAX_BATCH, heartbeatMillis);
                if (!leaseHeld()) {
                    // a warning: this server lost the member (it was stopped, or cut off from the cluster)
                    LOG.warn("{}: taken over by another server; this server no longer calls its callback", label);
                    takenOver.run();
                    return;
                }
                try {
                    Delivery[] given = batch.toArray(new Delivery[0]);
                    callback.deliver(given);
                    alive.run();
                    if (lease != null) {
                        lease.acked(ClientPosition.highest(given));
                    }
                } catch (org.omg.CORBA.SystemException e) {
                    if (outbox.drained()) {
                        LOG.debug("{}: the CLOSED delivery did not reach the callback: {}", label, e.toString());
                        return;
                    }
                    String why = e instanceof org.omg.CORBA.TIMEOUT
                            ? "its callback did not return in time (" + e + ")"
                            : "its callback failed (" + e + ")";
                    remove.accept(why);
                    drainAfterFailure();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) { // the member is removed and told, not left waiting for a pusher
            LOG.error("{}: callback pusher failed", label, e);
            remove.accept("internal error while delivering: " + e);
        }
    }

    /** The client is gone: the rest of its deliveries are dropped, so that the member's deliveries never wait. */
    private void drainAfterFailure() throws InterruptedException {
        while (!outbox.drained()) {
            outbox.take(Outbox.MAX_BATCH, heartbeatMillis);
        }
    }
}
