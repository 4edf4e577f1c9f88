package org.troupe.hosted;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only one server calls a push member's callback at a time, and what its callback acknowledged
 * is recorded in the cluster.
 *
 * <p>A server calls the callback only under a claim ({@code GroupCommand.Pusher}, an id unique
 * to the claim) that the group has accepted, and only while its lease is valid: for {@link
 * #leaseMillis} after it SUBMITTED the last command of that claim the group accepted (the claim
 * itself, or a renewal: a {@code GroupCommand.Delivered} naming the claim, which also records
 * the highest sequence id the callback acknowledged). Renewals go in the background once a third
 * of the lease has passed ({@link #tick}, every 50 ms, and before each call), or when the
 * position moved; an expired lease is renewed on the pusher's thread before its next call, and a refused renewal means another server claimed the
 * member: this server stops at once.
 *
 * <p>Another server claims the member only if the member's record (whose version every claim
 * and every renewal increments) has not changed for {@link #takeOverAfterMillis} as it watched
 * it, and only on the condition that it is still at the version it saw. Since the version it saw
 * changed no earlier than the last accepted renewal was submitted, the old pusher's lease has
 * run out (on its own monotonic clock, which keeps counting while a process is stopped) before
 * the new claim commits, and every renewal it tries afterwards is refused. A server that was
 * paused (SIGSTOP) longer than the lease finds it expired when it runs again, tries to renew,
 * is refused and stops without calling.
 */
final class PushLease {
    private static final Logger LOG = LoggerFactory.getLogger(PushLease.class);

    /** What the cluster answers a renewal. */
    enum Renewal {
        /** Renewed: this server's claim is the member's current one. */
        ACCEPTED,
        /** Another server claimed the member: this one must stop calling its callback. */
        TAKEN,
        /** The member is out of its group: nobody pushes for it any more (its CLOSED delivery may still go). */
        OUT
    }

    /** Submits a renewal through the cluster (recording the acknowledged position). */
    @FunctionalInterface
    interface Renewer {
        Renewal renew(String pusher, long position) throws Exception;
    }

    /** A lease for a group whose suspect time is {@code suspectMillis}: a third of it (100 ms at least). */
    static long leaseMillis(long suspectMillis) {
        return Math.max(100, suspectMillis / 3);
    }

    /**
     * How long another server waits, watching a member's push record not change, before it claims
     * the member: the lease and a quarter more (clocks of two machines may run at slightly
     * different rates), and 50 ms for the watcher's period.
     */
    static long takeOverAfterMillis(long suspectMillis) {
        long lease = leaseMillis(suspectMillis);
        return lease + lease / 4 + 50;
    }

    private final String label;
    private final String pusher;
    private final long leaseNanos;
    private final Renewer renewer;
    private final Executor executor;
    /** System.nanoTime() just before the last accepted claim or renewal was submitted. */
    private long confirmedAt;
    /** The highest sequence id the callback acknowledged (-1: none). */
    private long acked;
    private long recorded;
    private boolean renewing;
    private volatile boolean taken;
    private volatile boolean out;

    /**
     * @param pusher this server's claim
     * @param claimedAtNanos System.nanoTime() just before the claim was submitted
     * @param position the position recorded at the claim (what the callback had acknowledged, -1: nothing)
     * @param executor where background renewals run (it may refuse one: the next check tries again)
     */
    PushLease(String label, String pusher, long leaseMillis, long claimedAtNanos, long position, Renewer renewer,
            Executor executor) {
        this.label = label;
        this.pusher = pusher;
        this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis);
        this.renewer = renewer;
        this.executor = executor;
        this.confirmedAt = claimedAtNanos;
        this.acked = position;
        this.recorded = position;
    }

    String pusher() {
        return pusher;
    }

    /** True once another server claimed the member. */
    boolean taken() {
        return taken;
    }

    /** The callback returned from every delivery up to {@code sequenceId}: recorded in the background. */
    synchronized void acked(long sequenceId) {
        if (sequenceId > acked) {
            acked = sequenceId;
            renewLater();
        }
    }

    /**
     * Renews in the background once a third of the lease has passed: called periodically, so
     * that an idle member's lease (its pusher calls only every heartbeat) never runs out while
     * its server runs.
     */
    synchronized void tick() {
        if (System.nanoTime() - confirmedAt >= leaseNanos / 3) {
            renewLater();
        }
    }

    /** The position the member's deliveries go on from (recorded already, as of the claim). */
    synchronized void startAt(long sequenceId) {
        acked = Math.max(acked, sequenceId);
        recorded = Math.max(recorded, sequenceId);
    }

    /** The highest position recorded so far. */
    synchronized long recorded() {
        return recorded;
    }

    /**
     * Whether this server may call the callback now. An expired lease is renewed first, on this
     * thread (waits for the cluster); false if it could not be (the cluster did not answer: call
     * again later) or the member was taken over ({@link #taken}).
     */
    boolean mayPush() {
        synchronized (this) {
            if (taken) {
                return false;
            }
            if (out) {
                return true; // nobody else pushes for a member that is out
            }
            long age = System.nanoTime() - confirmedAt;
            if (age < leaseNanos) {
                if (age >= leaseNanos / 3) {
                    renewLater();
                }
                return true;
            }
        }
        renewNow();
        synchronized (this) {
            return !taken && (out || System.nanoTime() - confirmedAt < leaseNanos);
        }
    }

    private void renewLater() {
        if (renewing || taken || out) {
            return;
        }
        renewing = true;
        try {
            executor.execute(() -> {
                try {
                    renewNow();
                } finally {
                    synchronized (this) {
                        renewing = false;
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            renewing = false; // the next check tries again
        }
    }

    /** One renewal with the current position; its answer is applied. */
    private void renewNow() {
        long position;
        synchronized (this) {
            if (taken || out) {
                return;
            }
            position = acked;
        }
        long submittedAt = System.nanoTime();
        Renewal r;
        try {
            r = renewer.renew(pusher, position);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // not renewed: the lease runs out, and the pusher waits for a renewal before its next call
            LOG.warn("{}: cannot renew the lease of claim {}: {}", label, pusher, e.toString());
            return;
        } catch (Throwable t) {
            LOG.error("{}: renewing the lease of claim {} failed", label, pusher, t);
            return;
        }
        synchronized (this) {
            switch (r) {
                case ACCEPTED -> {
                    if (submittedAt - confirmedAt > 0) {
                        confirmedAt = submittedAt;
                    }
                    recorded = Math.max(recorded, position);
                }
                case TAKEN -> {
                    if (!taken) {
                        LOG.info("{}: another server claimed it; claim {} stops calling its callback", label, pusher);
                    }
                    taken = true;
                }
                case OUT -> out = true;
                default -> throw new IllegalStateException("unknown renewal answer " + r);
            }
        }
    }
}
