package org.troupe.server.groups;

/**
 * Notices that this server did not run for a while (stopped with SIGSTOP, a frozen VM, a long
 * garbage collection): a task that sleeps a fixed delay between runs tells when it goes to sleep
 * ({@link #asleep}) and when it wakes ({@link #awake}); a sleep much longer than its delay is a
 * pause. Nobody can be heard by a server that is not running, so its failure detection must not
 * count a pause as the members' silence ({@link Liveness#excuse}): a server that resumes after
 * the others elected a new leader would otherwise remove every member of the groups it still
 * believes it hosts, and its decision would reach the new leader. The task's own run time (a run
 * that waits for the cluster) is not a pause. Not thread-safe: one task uses it.
 */
public final class PauseDetector {
    private final long thresholdNanos;
    private long sleptAt;
    private boolean sleeping;

    /** @param thresholdMillis the longest sleep that is not a pause */
    public PauseDetector(long thresholdMillis) {
        if (thresholdMillis <= 0) {
            throw new IllegalArgumentException("the pause threshold must be positive, got " + thresholdMillis + " ms");
        }
        this.thresholdNanos = thresholdMillis * 1_000_000L;
    }

    /**
     * The detector of a task that sleeps {@code delayMillis} between runs, for a server whose
     * members are suspected after {@code suspectMillis}: a pause is a sleep longer than half a
     * suspect time, and than four delays (a task late by a few delays on a loaded machine is
     * not paused).
     */
    public static PauseDetector forSuspectTime(long suspectMillis, long delayMillis) {
        return new PauseDetector(Math.max(suspectMillis / 2, 4 * delayMillis));
    }

    /** The task goes to sleep at {@code now} (nanoseconds). */
    public void asleep(long now) {
        sleptAt = now;
        sleeping = true;
    }

    /** The task wakes at {@code now} (nanoseconds); true if it slept longer than the threshold (a pause ends now). */
    public boolean awake(long now) {
        boolean paused = sleeping && now - sleptAt > thresholdNanos;
        sleeping = false;
        return paused;
    }
}
