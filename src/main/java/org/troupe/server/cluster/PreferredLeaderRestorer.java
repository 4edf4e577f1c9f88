package org.troupe.server.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a server that came back its preferred leaderships back, as Kafka's preferred leader
 * election does: while a server is down, the groups it led are led by others; once it has
 * answered the leader of such a group (a Raft follower that is up, catching up) continuously for
 * {@code after}, that leader hands the group back to it. A check runs every {@code after / 3}
 * (between 1 and 10 s) and hands over at most one group, so that a server that comes back takes
 * its groups one at a time rather than in a storm of elections; a hand-over that fails (the
 * server went again, or is not caught up within the time-out) is tried at a later check. Ratis
 * does this by itself only when the leader finds the preferred server fully caught up while the
 * group is idle, which a steady load can postpone indefinitely.
 */
public final class PreferredLeaderRestorer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreferredLeaderRestorer.class);
    /** How long one hand-over may take. */
    static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(5);

    /** A group this server leads whose preferred leader is another server. */
    public record Candidate(String group, String preferred, boolean answering) {
    }

    /** The groups this server leads for others, and the hand-over. */
    public interface Leaderships {
        /** Each group this server leads for another server, and whether that one answers it now. */
        List<Candidate> ledForOthers();

        /** Hands {@code group} to server {@code to}. */
        void handOver(String group, String to, Duration timeout) throws Exception;
    }

    private final String server;
    private final Leaderships leaderships;
    private final long afterNanos;
    private final LongSupplier clock;
    /** Since when (clock) each group's preferred leader has answered without a break. */
    private final Map<String, Long> answeringSince = new HashMap<>();
    private ScheduledExecutorService timer;

    /**
     * @param server this server's id (for the log)
     * @param after how long a preferred leader must have answered before it gets its group back
     */
    public PreferredLeaderRestorer(String server, Leaderships leaderships, Duration after, LongSupplier clock) {
        if (after.isZero() || after.isNegative()) {
            throw new IllegalArgumentException("the delay before a hand-back must be positive, got " + after);
        }
        this.server = server;
        this.leaderships = leaderships;
        this.afterNanos = after.toNanos();
        this.clock = clock;
    }

    /** How often the checks run for a delay of {@code after}: a third of it, within 1..10 s. */
    public static Duration period(Duration after) {
        long ms = Math.max(1000, Math.min(10_000, after.toMillis() / 3));
        return Duration.ofMillis(ms);
    }

    /** Runs the checks on a thread of its own until {@link #close}. */
    public synchronized PreferredLeaderRestorer start(Duration period) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "troupe-cluster-leaders-" + server);
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::checkSafely, period.toMillis(), period.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void checkSafely() {
        try {
            check();
        } catch (Throwable t) { // a scheduled task that throws never runs again
            LOG.error("cluster {}: restoring preferred leaders failed; the next check goes on", server, t);
        }
    }

    /**
     * One check: hands at most one group back, to a preferred leader that has answered for the
     * whole delay. Returns the group handed back, or null.
     */
    public String check() {
        long now = clock.getAsLong();
        List<Candidate> candidates = leaderships.ledForOthers();
        Set<String> seen = new HashSet<>();
        Candidate ready = null;
        for (Candidate c : candidates) {
            seen.add(c.group());
            if (!c.answering()) {
                answeringSince.remove(c.group());
                continue;
            }
            long since = answeringSince.computeIfAbsent(c.group(), g -> now);
            if (ready == null && now - since >= afterNanos) {
                ready = c;
            }
        }
        answeringSince.keySet().retainAll(seen);
        if (ready == null) {
            return null;
        }
        try {
            leaderships.handOver(ready.group(), ready.preferred(), HAND_OVER_TIMEOUT);
            answeringSince.remove(ready.group());
            LOG.info("cluster {}: handed {} back to its preferred leader {}", server, ready.group(), ready.preferred());
            return ready.group();
        } catch (Exception e) {
            answeringSince.put(ready.group(), now); // try again after another full delay
            LOG.warn("cluster {}: could not hand {} back to {} (tried again later): {}", server, ready.group(),
                    ready.preferred(), e.toString());
            return null;
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
