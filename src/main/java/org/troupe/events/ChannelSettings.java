package org.troupe.events;

/**
 * Tuning of every channel a server hosts. All sizes are in events.
 *
 * @param queueCapacity events held for one consumer before {@link #queuePolicy} applies
 * @param queuePolicy what happens to a consumer whose queue is full
 * @param flowWatermark a supplier's push waits while even the least-loaded consumer queue holds
 *     more than this many events; consumers whose queues are full do not count
 * @param flowTimeoutMillis the longest a supplier's push waits for that; then the events are
 *     queued anyway and the queue policy applies to consumers that have no room
 * @param batchMax the most events sent to (or pulled from) one peer in one call
 * @param pullIntervalMaxMillis how long the channel sleeps, at most, between two
 *     {@code try_pull}s of a pull supplier that had nothing (it backs off from 0 up to this)
 * @param replyTimeoutMillis how long a call to a peer may take before the peer is considered
 *     dead or stopped (COSEvent push, pull, disconnect call-backs)
 */
public record ChannelSettings(
        int queueCapacity,
        QueuePolicy queuePolicy,
        int flowWatermark,
        long flowTimeoutMillis,
        int batchMax,
        long pullIntervalMaxMillis,
        long replyTimeoutMillis) {

    /** The most events a batch call may carry. */
    public static final int MAX_BATCH = 4096;

    public ChannelSettings {
        require(queueCapacity >= 1, "queue capacity must be >= 1, got " + queueCapacity);
        require(queuePolicy != null, "queue policy is required");
        require(flowWatermark >= 0 && flowWatermark < queueCapacity,
                "flow watermark must be in [0, queue capacity), got " + flowWatermark);
        require(flowTimeoutMillis >= 0, "flow timeout must be >= 0 ms, got " + flowTimeoutMillis);
        require(batchMax >= 1 && batchMax <= MAX_BATCH,
                "batch max must be in [1, " + MAX_BATCH + "], got " + batchMax);
        require(pullIntervalMaxMillis >= 1, "pull interval must be >= 1 ms, got " + pullIntervalMaxMillis);
        require(replyTimeoutMillis >= 100, "reply timeout must be >= 100 ms, got " + replyTimeoutMillis);
    }

    /** The defaults documented in the README. */
    public static ChannelSettings defaults() {
        return new ChannelSettings(16384, QueuePolicy.DISCONNECT, 2048, 2000, 512, 10, 5000);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
