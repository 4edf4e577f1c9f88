package org.troupe.member;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.Destination;
import org.troupe.protocol.SystemTypes;

/**
 * Sends a joiner's state requests for its {@code StateTransferLayer}, off the stack's thread (a
 * send may wait for the bounded send queue). The first request can come before {@link Troupe#join}
 * has made the {@link Group}: it waits for {@link #attach}, up to 10 s. One short-lived thread,
 * a queue of 8 requests (a joiner has one outstanding at a time).
 */
final class StateRequests {
    private static final Logger LOG = LoggerFactory.getLogger(StateRequests.class);
    private static final long ATTACH_TIMEOUT_MS = 10_000;

    private final String groupName;
    private final CompletableFuture<Group> group = new CompletableFuture<>();
    private final ThreadPoolExecutor executor;

    StateRequests(String groupName) {
        this.groupName = groupName;
        this.executor = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8), r -> {
            Thread t = new Thread(r, "troupe-" + groupName + "-state");
            t.setDaemon(true);
            return t;
        });
    }

    void attach(Group g) {
        group.complete(g);
    }

    /** Queues a request to {@code provider}; a failure is logged (the layer's time-out moves on). */
    void request(long provider, byte[] payload) {
        try {
            executor.execute(() -> send(provider, payload));
        } catch (RejectedExecutionException e) {
            LOG.warn("group {}: state request to member {} not sent: too many pending", groupName, provider);
        }
    }

    private void send(long provider, byte[] payload) {
        try {
            Group g = group.get(ATTACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!g.isClosed()) {
                g.sendSystem(SystemTypes.STATE_REQUEST, payload, Destination.member(provider));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | TroupeException e) {
            LOG.warn("group {}: state request to member {} not sent: {}", groupName, provider, e.toString());
        }
    }
}
