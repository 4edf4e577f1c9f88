package org.troupe.hosted;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;

/**
 * How far a pull client has taken its hosted member's deliveries, recorded in the cluster so that
 * a server that takes the member over resumes it there. A receive hands out a batch; the client's
 * next call to receive shows that it had the batch (a reply lost with its server shows as an
 * exception instead, and the client calls again just the same, on another server: there the
 * batch counts as not taken). So only what the client acknowledged by calling again is recorded,
 * and the recorded position never passes what the client was given: after its server dies the
 * client gets again what it was handed since the last recorded position (at least once), never
 * less. Recording runs in the background, one at a time per member (the latest position wins), so
 * that a receive never waits for the cluster.
 */
final class ClientPosition {
    private static final Logger LOG = LoggerFactory.getLogger(ClientPosition.class);

    /** Records, through the cluster, that the client was given everything up to a sequence id. */
    @FunctionalInterface
    interface Recorder {
        /** True if recorded; false if the group refused (the member is out). */
        boolean record(long sequenceId) throws Exception;
    }

    private final String label;
    private final Recorder recorder;
    private final Executor executor;
    private long handedOut = -1;
    /** The highest position acknowledged by the client (recorded, or to be). */
    private long taken = -1;
    private long recorded = -1;
    private boolean recording;

    /** @param executor where the recordings run (it may refuse one: a later one covers it) */
    ClientPosition(String label, Recorder recorder, Executor executor) {
        this.label = label;
        this.recorder = recorder;
        this.executor = executor;
    }

    /** The client called again: what it was handed last is taken, and gets recorded. */
    synchronized void taken() {
        if (handedOut > taken) {
            taken = handedOut;
            recordLater();
        }
    }

    /** The member's start: its client has nothing up to {@code sequenceId}. */
    synchronized void startAt(long sequenceId) {
        handedOut = Math.max(handedOut, sequenceId);
        taken();
    }

    /** A batch handed out to the client. */
    synchronized void handedOut(Delivery[] batch) {
        handedOut = Math.max(handedOut, highest(batch));
    }

    /** The highest position recorded so far (-1: none). */
    synchronized long recorded() {
        return recorded;
    }

    private void recordLater() {
        if (recording || taken <= recorded) {
            return;
        }
        recording = true;
        try {
            executor.execute(this::recordNow);
        } catch (RejectedExecutionException e) {
            recording = false; // the next call tries again
        }
    }

    private void recordNow() {
        long position;
        synchronized (this) {
            position = taken;
        }
        boolean ok = false;
        try {
            ok = recorder.record(position);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // not recorded: a take-over would hand out more again (the position only lags)
            LOG.warn("{}: cannot record the client's position {}: {}", label, position, e.toString());
        } catch (Throwable t) {
            LOG.error("{}: recording the client's position {} failed", label, position, t);
        }
        synchronized (this) {
            recording = false;
            if (ok && position > recorded) {
                recorded = position;
            }
            if (ok) {
                recordLater(); // taken again meanwhile
            }
        }
    }

    /** The highest sequence id among the messages and views in {@code batch} (-1: none). */
    static long highest(Delivery[] batch) {
        long max = -1;
        for (Delivery d : batch) {
            if (d.discriminator() == DeliveryKind.MESSAGE_DELIVERY) {
                max = Math.max(max, d.message().sequence_id);
            } else if (d.discriminator() == DeliveryKind.VIEW_DELIVERY) {
                max = Math.max(max, d.view().sequence_id);
            }
        }
        return max;
    }
}
