package org.troupe.server.events;

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
 * @param proxyConnectTimeoutMillis how long a proxy obtained from an admin ({@code obtain_*}) may
 *     stay unconnected; then it is disposed (later calls on it raise OBJECT_NOT_EXIST)
 * @param maxUnconnectedProxies how many proxies one channel holds obtained but not yet connected;
 *     beyond that, {@code obtain_*} raises IMP_LIMIT
 * @param pullWaitMillis the longest one {@code pull} / {@code pull_batch} waits for an event; then
 *     it raises TRANSIENT (completion status COMPLETED_NO: nothing was taken, pull again)
 * @param maxWaitingPulls how many {@code pull} calls may wait at once on the whole server (each holds
 *     a request thread of the ORB); a pull beyond that that finds no event raises TRANSIENT at once
 * @param maxConsumers how many consumers one channel holds connected at once; beyond that
 *     {@code connect_push_consumer} / {@code connect_pull_consumer} raise IMP_LIMIT
 */
public record ChannelSettings(
        int queueCapacity,
        QueuePolicy queuePolicy,
        int flowWatermark,
        long stallMillis,
        long flowTimeoutMillis,
        int batchMax,
        long pullIntervalMaxMillis,
        long replyTimeoutMillis,
        long proxyConnectTimeoutMillis,
        int maxUnconnectedProxies,
        long pullWaitMillis,
        int maxWaitingPulls,
        int maxConsumers) {

    /** The most events a batch call may carry. */
    public static final int MAX_BATCH = org.troupe.wire.Limits.MAX_BATCH;

    /** Default of {@link #proxyConnectTimeoutMillis}: 60 s. */
    public static final long DEFAULT_PROXY_CONNECT_TIMEOUT_MILLIS = 60_000;

    /** Default of {@link #maxUnconnectedProxies}. */
    public static final int DEFAULT_MAX_UNCONNECTED_PROXIES = 4096;

    /**
     * Default of {@link #pullWaitMillis}: 4 s, below the 5 s reply time-out Troupe's own clients
     * use, so that they see TRANSIENT (pull again) rather than a TIMEOUT of their own.
     */
    public static final long DEFAULT_PULL_WAIT_MILLIS = 4_000;

    /** Default of {@link #maxWaitingPulls}: half the ORB's 512 request threads (see OrbFactory). */
    public static final int DEFAULT_MAX_WAITING_PULLS = 256;

    /** Default of {@link #maxConsumers}. */
    public static final int DEFAULT_MAX_CONSUMERS = 1024;

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
        require(proxyConnectTimeoutMillis >= 1,
                "proxy connect timeout must be >= 1 ms, got " + proxyConnectTimeoutMillis);
        require(maxUnconnectedProxies >= 1, "max unconnected proxies must be >= 1, got " + maxUnconnectedProxies);
        require(pullWaitMillis >= 1, "pull wait must be >= 1 ms, got " + pullWaitMillis);
        require(maxWaitingPulls >= 1, "max waiting pulls must be >= 1, got " + maxWaitingPulls);
        require(maxConsumers >= 1, "max consumers per channel must be >= 1, got " + maxConsumers);
    }

    /** These settings with the default pull and consumer limits. */
    public ChannelSettings(int queueCapacity, QueuePolicy queuePolicy, int flowWatermark, long stallMillis,
            long flowTimeoutMillis, int batchMax, long pullIntervalMaxMillis, long replyTimeoutMillis,
            long proxyConnectTimeoutMillis, int maxUnconnectedProxies) {
        this(queueCapacity, queuePolicy, flowWatermark, stallMillis, flowTimeoutMillis, batchMax,
                pullIntervalMaxMillis, replyTimeoutMillis, proxyConnectTimeoutMillis, maxUnconnectedProxies,
                DEFAULT_PULL_WAIT_MILLIS, DEFAULT_MAX_WAITING_PULLS, DEFAULT_MAX_CONSUMERS);
    }

    /** These settings with the default proxy limits (60 s to connect, 4096 unconnected per channel). */
    public ChannelSettings(int queueCapacity, QueuePolicy queuePolicy, int flowWatermark, long stallMillis,
            long flowTimeoutMillis, int batchMax, long pullIntervalMaxMillis, long replyTimeoutMillis) {
        this(queueCapacity, queuePolicy, flowWatermark, stallMillis, flowTimeoutMillis, batchMax,
                pullIntervalMaxMillis, replyTimeoutMillis, DEFAULT_PROXY_CONNECT_TIMEOUT_MILLIS,
                DEFAULT_MAX_UNCONNECTED_PROXIES);
    }

    /** The defaults, documented with the server's options in docs/operations.md. */
    public static ChannelSettings defaults() {
        return new ChannelSettings(65536, QueuePolicy.DISCONNECT, 2048, 100, 1000, 512, 10, 5000,
                DEFAULT_PROXY_CONNECT_TIMEOUT_MILLIS, DEFAULT_MAX_UNCONNECTED_PROXIES);
    }

    /** These settings with other proxy limits. */
    public ChannelSettings withProxyLimits(long connectTimeoutMillis, int maxUnconnected) {
        return new ChannelSettings(queueCapacity, queuePolicy, flowWatermark, stallMillis, flowTimeoutMillis,
                batchMax, pullIntervalMaxMillis, replyTimeoutMillis, connectTimeoutMillis, maxUnconnected,
                pullWaitMillis, maxWaitingPulls, maxConsumers);
    }

    /** These settings with other pull limits. */
    public ChannelSettings withPullLimits(long waitMillis, int maxWaiting) {
        return new ChannelSettings(queueCapacity, queuePolicy, flowWatermark, stallMillis, flowTimeoutMillis,
                batchMax, pullIntervalMaxMillis, replyTimeoutMillis, proxyConnectTimeoutMillis, maxUnconnectedProxies,
                waitMillis, maxWaiting, maxConsumers);
    }

    /** These settings with another cap on connected consumers per channel. */
    public ChannelSettings withMaxConsumers(int max) {
        return new ChannelSettings(queueCapacity, queuePolicy, flowWatermark, stallMillis, flowTimeoutMillis,
                batchMax, pullIntervalMaxMillis, replyTimeoutMillis, proxyConnectTimeoutMillis, maxUnconnectedProxies,
                pullWaitMillis, maxWaitingPulls, max);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
