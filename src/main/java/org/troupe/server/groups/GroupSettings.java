package org.troupe.server.groups;

/**
 * Tuning of the groups a server hosts.
 *
 * @param heartbeatMillis how often members are asked to call {@code heartbeat}
 * @param suspectMillis a member silent for longer is removed as crashed; with the reaper's
 *     period this bounds how late a crash is noticed
 * @param maxPayload the largest payload one message may carry, in octets
 */
public record GroupSettings(long heartbeatMillis, long suspectMillis, int maxPayload) {
    /**
     * The flow watermark of a group's channel, in Messages (a MessageList counts as many as it
     * carries, any other event 1; at most the server's watermark).
     */
    public static final int FLOW_WATERMARK = 1024;

    /** The reaper looks for silent members this often. */
    public static final long REAPER_PERIOD_MS = 250;

    public GroupSettings {
        if (heartbeatMillis < 10 || suspectMillis <= heartbeatMillis) {
            throw new IllegalArgumentException("need 10 ms <= heartbeat < suspect time, got heartbeat "
                    + heartbeatMillis + " ms, suspect " + suspectMillis + " ms");
        }
        if (maxPayload < 1) {
            throw new IllegalArgumentException("max payload must be >= 1, got " + maxPayload);
        }
    }

    /** Heartbeat every second, removed after 2.5 s of silence: a crash is noticed within 3 s. */
    public static GroupSettings defaults() {
        return new GroupSettings(1000, 2500, 1 << 20);
    }
}
