package org.troupe.server;

import org.troupe.server.events.ChannelSettings;

/**
 * How a Troupe server runs.
 *
 * @param host the address the ORB listens on and writes into its object references
 * @param port the IIOP port (2809, the CORBA default, unless told otherwise)
 * @param naming whether to host a naming service at {@code corbaloc:iiop:HOST:PORT/NameService}
 * @param channels channel tuning
 * @param groups group tuning (heartbeat, suspect time, payload limit)
 * @param cluster null for a server on its own (the default); else the cluster it is part of
 */
public record ServerSettings(String host, int port, boolean naming, ChannelSettings channels,
        org.troupe.server.groups.GroupSettings groups, ClusterSettings cluster) {
    /** The default port: IANA's corbaloc port, which corbaloc URLs without a port also use. */
    public static final int DEFAULT_PORT = 2809;
    public static final String DEFAULT_HOST = "127.0.0.1";

    public ServerSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
    }

    /** A server on its own. */
    public ServerSettings(String host, int port, boolean naming, ChannelSettings channels,
            org.troupe.server.groups.GroupSettings groups) {
        this(host, port, naming, channels, groups, null);
    }

    public static ServerSettings defaults(int port) {
        return new ServerSettings(DEFAULT_HOST, port, true, ChannelSettings.defaults(),
                org.troupe.server.groups.GroupSettings.defaults());
    }
}
