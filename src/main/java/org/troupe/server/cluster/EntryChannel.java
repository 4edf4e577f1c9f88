package org.troupe.server.cluster;

import java.util.concurrent.CompletableFuture;

/**
 * Sends Raft entries of one Raft group to its leader, for a {@link BatchingSubmitter}.
 */
interface EntryChannel {
    /**
     * The term in which this server leads the group now, ready, or 0. While it leads, entries go
     * in by a local call, appended to the log in call order, so several may be in flight
     * without reordering.
     */
    long localLeaderTerm();

    /**
     * Sends one entry. The call id names the entry for the Raft retry cache: a retry carries the
     * same id, so an entry that was already committed is answered from the cache, not applied
     * twice.
     *
     * @return the term of the local leader the entry went to (0 when it went to another server),
     *     and the reply: the reply bytes once the entry is committed and applied; or a failure,
     *     {@link RetryableException} (no leader, not ready, transport trouble: send again later)
     *     or any other exception (final)
     */
    Sent send(long callId, byte[] entry);

    /** Where an entry went, and its reply to come. */
    record Sent(long localTerm, CompletableFuture<byte[]> reply) {
    }

    /** A failure after which the same entry may be sent again. */
    final class RetryableException extends Exception {
        private static final long serialVersionUID = 1L;

        RetryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
