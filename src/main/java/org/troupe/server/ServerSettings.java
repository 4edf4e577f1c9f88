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
 * @param httpPort the port of the operations endpoint over HTTP on {@code host} ({@code /metrics},
 *     {@code /healthz}, {@code /readyz}, {@code /api/...}); 0: none (the default); -1: any free port
 * @param admin the admin credential that administrative calls must present (see
 *     {@link org.troupe.server.security.AdminGate}); null: none, every call is open (the default)
 * @param limits connections and hosted members the server holds at most
 */
public record ServerSettings(String host, int port, boolean naming, ChannelSettings channels,
        org.troupe.server.groups.GroupSettings groups, ClusterSettings cluster, int httpPort,
        org.troupe.orb.AdminCredential admin, ServerLimits limits) {
    /** The default port: IANA's corbaloc port, which corbaloc URLs without a port also use. */
    public static final int DEFAULT_PORT = 2809;
    public static final String DEFAULT_HOST = "127.0.0.1";

    public ServerSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("the HTTP port must be in 1..65535 (0: none), got " + httpPort);
        }
    }

    /** Without an admin credential, with the default limits. */
    public ServerSettings(String host, int port, boolean naming, ChannelSettings channels,
            org.troupe.server.groups.GroupSettings groups, ClusterSettings cluster, int httpPort) {
        this(host, port, naming, channels, groups, cluster, httpPort, null, ServerLimits.defaults());
    }

    /** These settings with administrative calls requiring {@code credential} (null: none). */
    public ServerSettings withAdmin(org.troupe.orb.AdminCredential credential) {
        return new ServerSettings(host, port, naming, channels, groups, cluster, httpPort, credential, limits);
    }

    /** These settings with other limits. */
    public ServerSettings withLimits(ServerLimits limits) {
        return new ServerSettings(host, port, naming, channels, groups, cluster, httpPort, admin, limits);
    }

    /** Without an operations endpoint. */
    public ServerSettings(String host, int port, boolean naming, ChannelSettings channels,
            org.troupe.server.groups.GroupSettings groups, ClusterSettings cluster) {
        this(host, port, naming, channels, groups, cluster, 0);
    }

    /** These settings with the operations endpoint on {@code httpPort} (0: none; -1: any free port). */
    public ServerSettings withHttpPort(int httpPort) {
        return new ServerSettings(host, port, naming, channels, groups, cluster, httpPort, admin, limits);
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
