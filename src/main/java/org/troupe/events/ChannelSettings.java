package org.troupe.events;

/**
 * Tuning of every channel a server hosts. All sizes are in events.
 *
 * @param queueCapacity events held for one consumer before {@link #queuePolicy} applies
 * @param queuePolicy what happens to a consumer whose queue is full
 * @param flowWatermark a supplier's push waits while a responsive consumer's queue holds more
 *     than this many events (flow control: suppliers go at the pace of the slowest consumer that
 *     keeps up)
 * @param stallMillis the longest a consumer may take no events (stopped, dead, stuck in a call,
 *     or a pull consumer that does not pull) and still hold suppliers back; a push consumer's own
 *     limit is 8 times its usual push call, at least 10 ms, at most this. It keeps its queue, and
 *     its queue policy applies if it falls a whole queue behind
 * @param flowTimeoutMillis the longest one push waits for flow control, whatever the consumers
 *     do (JGroups' max_block_time); then its events are queued anyway
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
        long stallMillis,
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
        require(stallMillis >= 1, "stall time must be >= 1 ms, got " + stallMillis);
        require(flowTimeoutMillis >= 0, "flow timeout must be >= 0 ms, got " + flowTimeoutMillis);
        require(batchMax >= 1 && batchMax <= MAX_BATCH,
                "batch max must be in [1, " + MAX_BATCH + "], got " + batchMax);
        require(pullIntervalMaxMillis >= 1, "pull interval must be >= 1 ms, got " + pullIntervalMaxMillis);
        require(replyTimeoutMillis >= 100, "reply timeout must be >= 100 ms, got " + replyTimeoutMillis);
    }

    /** The defaults documented in the README. */
    public static ChannelSettings defaults() {
        return new ChannelSettings(65536, QueuePolicy.DISCONNECT, 2048, 100, 1000, 512, 10, 5000);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
