package org.troupe.server;

import org.slf4j.Logger;

/**
 * Runs the server's background work so that no Throwable ends it. A task given to
 * {@code ScheduledExecutorService.scheduleWithFixedDelay} that throws once is never run again,
 * and a thread whose loop throws ends in silence: an {@code OutOfMemoryError} caused by one
 * client would stop, say, the reaper of every group for good. Wrapped here, the Throwable is
 * logged with what was running, and the next run happens as planned.
 */
public final class Guarded {
    private Guarded() {
    }

    /** Runs {@code task} now; a Throwable it raises is logged as the failure of {@code what}. */
    public static void run(String what, Logger log, Runnable task) {
        try {
            task.run();
        } catch (Throwable t) { // NOPMD: the point of this class
            try {
                log.error("{} failed; it goes on", what, t);
            } catch (Throwable ignored) { // logging itself failed (out of memory): nothing else to do
            }
        }
    }

    /** {@code task}, wrapped so that each run is {@link #run guarded}: for schedulers and pools. */
    public static Runnable task(String what, Logger log, Runnable task) {
        return () -> run(what, log, task);
    }
}
