package org.troupe.hosted;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;

/**
 * How far a pull client has taken its hosted member's deliveries, recorded in the cluster so that
 * a server that takes the member over resumes it there. A receive hands out a batch; the client's
 * next receive shows that it had the batch (a reply lost with its server shows as an exception
 * instead, and the client calls again just the same, so the batch is counted as taken only once
 * the next call comes and the highest sequence id in it is recorded before that call takes
 * anything new). So the recorded position never passes what the client was given: after its
 * server dies it gets again at most the last batch it was handed before the death (at least
 * once), never less.
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
    private long handedOut = -1;
    private long recorded = -1;

    ClientPosition(String label, Recorder recorder) {
        this.label = label;
        this.recorder = recorder;
    }

    /** The client called again: what it was handed is taken; recorded before anything new is handed out. */
    synchronized void taken() {
        if (handedOut <= recorded) {
            return;
        }
        try {
            if (recorder.record(handedOut)) {
                recorded = handedOut;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // not recorded: a take-over would hand out more again (the position only lags)
            LOG.warn("{}: cannot record the client's position {}: {}", label, handedOut, e.toString());
        }
    }

    /** Records {@code sequenceId} at once (the member's start: its client has nothing before it). */
    synchronized void startAt(long sequenceId) {
        handedOut = Math.max(handedOut, sequenceId);
        taken();
    }

    /** A batch handed out to the client. */
    synchronized void handedOut(Delivery[] batch) {
        handedOut = Math.max(handedOut, highest(batch));
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
