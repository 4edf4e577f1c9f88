package org.troupe.server.events;

/**
 * One event channel as an operator sees it now.
 *
 * @param name the channel's name; a group's channel shows its label ({@code group.NAME}), never its secret name
 * @param group true for a group's own channel, false for a public one
 * @param consumers connected consumers (push and pull)
 * @param suppliers connected suppliers (push and pull)
 * @param delivered events delivered to consumers
 * @param dropped events dropped from full queues
 * @param evicted consumers cut off (too slow or unreachable)
 * @param queueDepth the deepest consumer queue now, in its weight (events; a group's channel: messages)
 * @param flowWaits publishes that found flow control closed and waited
 * @param flowTimeouts publishes that went ahead because flow control's time-out ran out
 */
public record ChannelStatus(String name, boolean group, int consumers, int suppliers, long delivered, long dropped,
        long evicted, int queueDepth, long flowWaits, long flowTimeouts) {
    /** {@code group} or {@code public}. */
    public String kind() {
        return group ? "group" : "public";
    }
}
