package org.troupe.orb;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the connections one listening socket of the server holds: each costs the ORB a reader
 * thread and a file descriptor, so a client that opens connections and sends nothing must not be
 * able to hold them all.
 *
 * <ul>
 *   <li>A connection that sends nothing within the first-message time-out of being accepted is
 *       closed: every real client sends its first request at once.
 *   <li>At most {@code max} connections are open at once. When a new one arrives at the limit,
 *       the oldest connection that has not spoken yet is closed to make room; if every open
 *       connection has spoken, the new one is closed at once (the client sees the connection
 *       reset, as from a full backlog).
 * </ul>
 */
final class ConnectionLimit implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

    /** What the limit needs of an accepted connection. */
    interface Connection extends Closeable {
        long acceptedNanos();

        /** True once the client sent at least one octet. */
        boolean spoke();

        String peer();
    }

    private final int max;
    private final long firstMessageNanos;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong silentClosed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final ScheduledExecutorService sweeper;

    ConnectionLimit(int max, long firstMessageMillis) {
        this.max = max;
        this.firstMessageNanos = TimeUnit.MILLISECONDS.toNanos(firstMessageMillis);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "troupe-connection-sweeper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1000, firstMessageMillis / 4));
        sweeper.scheduleWithFixedDelay(this::sweepGuarded, period,
                period, TimeUnit.MILLISECONDS);
    }

    /** Connections open now. */
    int open() {
        return open.size();
    }

    /**
     * Counts a newly accepted connection in, making room if need be; false if it was refused
     * (and closed).
     */
    boolean admit(Connection c) {
        synchronized (this) {
            if (open.size() >= max) {
                Connection victim = oldestSilent();
                if (victim == null) {
                    long n = refused.incrementAndGet();
                    if (Long.bitCount(n) == 1) { // 1, 2, 4, 8 ...: visible without flooding the log
                        LOG.warn("connection from {} refused: {} connections open, the limit, and every one of them"
                                + " is in use ({} refused so far)", c.peer(), max, n);
                    }
                    closeQuietly(c);
                    return false;
                }
                open.remove(victim);
                closeSilent(victim, "to make room for a new one: " + max + " connections open, the limit");
            }
            open.add(c);
            return true;
        }
    }

    /** The accepted connection closed (by the ORB, the client, or this limit). */
    void closed(Connection c) {
        open.remove(c);
    }

    private Connection oldestSilent() {
        Connection oldest = null;
        for (Connection c : open) {
            if (!c.spoke() && (oldest == null || c.acceptedNanos() - oldest.acceptedNanos() < 0)) {
                oldest = c;
            }
        }
        return oldest;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Connection c : open) {
            if (!c.spoke() && now - c.acceptedNanos() > firstMessageNanos) {
                open.remove(c);
                closeSilent(c, "it sent nothing within " + TimeUnit.NANOSECONDS.toMillis(firstMessageNanos)
                        + " ms");
            }
        }
    }

    private void closeSilent(Connection c, String why) {
        long n = silentClosed.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.warn("connection from {} closed: {} ({} silent connections closed so far)", c.peer(), why, n);
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing a connection: {}", e.toString());
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** The sweep, for the scheduler: a scheduled task that throws never runs again, so nothing escapes. */
    private void sweepGuarded() {
        try {
            sweep();
        } catch (Throwable t) {
            try {
                LOG.error("the sweep of silent connections failed; it goes on", t);
            } catch (Throwable ignored) { // logging itself failed (out of memory): nothing else to do
            }
        }
    }
}
