package org.troupe.bench;

import org.troupe.eventclient.EventServiceClient;

/** ORB set-up for bench child processes, which are handed channel IORs directly. */
final class BenchClients {
    private BenchClients() {
    }

    static EventServiceClient client() throws Exception {
        return EventServiceClient.withoutServer();
    }
}
