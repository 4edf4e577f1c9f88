package org.troupe.server;

/**
 * The bounds a server keeps on what its clients may hold, beyond the channels' own
 * ({@link org.troupe.server.events.ChannelSettings}).
 *
 * @param maxConnections IIOP connections open at once; at the limit, the oldest connection that
 *     has sent nothing yet is closed to make room, or else the new one is refused
 * @param firstMessageMillis a new connection that sends nothing within this is closed
 * @param idleTimeoutMillis a connection with no request for this long, and none pending, is closed
 *     by the ORB (the client is told with a GIOP CloseConnection and reconnects when it calls again)
 * @param maxHostedMembers hosted members ({@code HostedMembers::host_member}) on the server at once
 * @param maxHostedPerClient hosted members one client (one callback object, or one peer address
 *     for members without a callback) holds at once
 */
public record ServerLimits(int maxConnections, long firstMessageMillis, long idleTimeoutMillis,
        int maxHostedMembers, int maxHostedPerClient) {
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final long DEFAULT_FIRST_MESSAGE_MILLIS = 10_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 300_000;
    public static final int DEFAULT_MAX_HOSTED_MEMBERS = 256;
    public static final int DEFAULT_MAX_HOSTED_PER_CLIENT = 16;

    public ServerLimits {
        require(maxConnections >= 1, "max connections must be >= 1, got " + maxConnections);
        require(firstMessageMillis >= 1, "first message time-out must be >= 1 ms, got " + firstMessageMillis);
        require(idleTimeoutMillis >= 0, "idle time-out must be >= 0 ms (0: none), got " + idleTimeoutMillis);
        require(maxHostedMembers >= 0, "max hosted members must be >= 0, got " + maxHostedMembers);
        require(maxHostedPerClient >= 1, "max hosted members per client must be >= 1, got " + maxHostedPerClient);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_FIRST_MESSAGE_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS,
                DEFAULT_MAX_HOSTED_MEMBERS, DEFAULT_MAX_HOSTED_PER_CLIENT);
    }

    /** The ORB properties that enforce the connection limits (see org.troupe.orb.GuardedServerSocketFactory). */
    public void applyTo(java.util.Properties orb) {
        orb.setProperty(org.troupe.orb.GuardedServerSocketFactory.MAX_CONNECTIONS_PROPERTY,
                Integer.toString(maxConnections));
        orb.setProperty(org.troupe.orb.GuardedServerSocketFactory.FIRST_MESSAGE_PROPERTY,
                Long.toString(Math.min(firstMessageMillis, idleTimeoutMillis == 0 ? Long.MAX_VALUE : idleTimeoutMillis)));
        orb.setProperty("jacorb.connection.server.timeout", Long.toString(idleTimeoutMillis));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
