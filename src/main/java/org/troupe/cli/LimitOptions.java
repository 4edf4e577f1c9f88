package org.troupe.cli;

import org.troupe.server.ServerLimits;
import picocli.CommandLine.Option;

/** The server's bounds on connections and hosted members (options of {@code troupe server}). */
public final class LimitOptions {
    @Option(names = "--max-connections", paramLabel = "N",
            description = "IIOP connections open at once; at the limit the oldest connection that has sent nothing"
                    + " is closed to make room, or the new one is refused (default ${DEFAULT-VALUE}).")
    int maxConnections = ServerLimits.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--first-message-timeout", paramLabel = "MS",
            description = "A new connection that sends nothing within this is closed (default ${DEFAULT-VALUE}).")
    long firstMessageTimeout = ServerLimits.DEFAULT_FIRST_MESSAGE_MILLIS;

    @Option(names = "--idle-timeout", paramLabel = "MS",
            description = "A connection with no request for this long (and none pending) is closed; its client"
                    + " reconnects when it calls again. 0: never (default ${DEFAULT-VALUE}).")
    long idleTimeout = ServerLimits.DEFAULT_IDLE_TIMEOUT_MILLIS;

    @Option(names = "--max-hosted", paramLabel = "N",
            description = "Hosted members on this server at once (default ${DEFAULT-VALUE}).")
    int maxHosted = ServerLimits.DEFAULT_MAX_HOSTED_MEMBERS;

    @Option(names = "--max-hosted-per-client", paramLabel = "N",
            description = "Hosted members one client holds at once (default ${DEFAULT-VALUE}).")
    int maxHostedPerClient = ServerLimits.DEFAULT_MAX_HOSTED_PER_CLIENT;

    public ServerLimits limits() {
        return new ServerLimits(maxConnections, firstMessageTimeout, idleTimeout, maxHosted, maxHostedPerClient);
    }
}
