package org.troupe.server.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the commands submitted for one Raft group into as few Raft entries as the load allows,
 * keeps their order, and retries them across a leader change without applying any twice.
 *
 * <ul>
 *   <li><b>Batching.</b> A command submitted while the group's entries in flight are at their
 *       limit waits in a bounded queue; the next entry takes every waiting command up to a count
 *       and a byte limit. Idle, a command goes alone at once.</li>
 *   <li><b>Order.</b> The commands one server submits to one group are applied in submission
 *       order. Entries go out in order; several are in flight only when this server leads the
 *       group (a local call appends them in call order), one at a time otherwise.</li>
 *   <li><b>Retry, exactly once.</b> An entry keeps its call id on every retry, so the Raft retry
 *       cache answers an entry that was committed before a leader change instead of appending it
 *       again. After a retryable failure the group's unanswered entries are resent one at a
 *       time, oldest first, with a growing back-off, until each is answered or its commands'
 *       time-out passes (those futures then fail with {@link TimeoutException}: committed or not
 *       is then unknown).</li>
 *   <li><b>Results.</b> The entry's reply holds one outcome per command; each future gets its
 *       own.</li>
 * </ul>
 *
 * <p>All state but the queue is confined to the node's single submit thread; futures complete
 * on it, so dependent stages must not block (use the {@code *Async} variants for slow work).
 */
final class BatchingSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingSubmitter.class);
    private static final long FIRST_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 100;

    private final String groupName;
    private final EntryChannel channel;
    private final ScheduledExecutorService executor;
    private final AtomicLong callIds;
    private final LongSupplier nanoClock;
    private final int maxBatchCommands;
    private final int maxBatchBytes;
    private final int maxInFlight;
    private final int maxQueued;
    private final long timeoutNanos;
    private final ArrayBlockingQueue<Pending> queue;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final AtomicLong entriesAnswered = new AtomicLong();
    private final AtomicLong commandsAnswered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean closed;

    // Confined to the executor's thread.
    private final ArrayDeque<Entry> inFlight = new ArrayDeque<>();
    private boolean recovering;
    private Entry resending;
    private boolean resendScheduled;
    private int failures;

    BatchingSubmitter(String groupName, EntryChannel channel, ScheduledExecutorService executor, AtomicLong callIds,
            ClusterConfig config, LongSupplier nanoClock) {
        this(groupName, channel, executor, callIds, config.maxBatchCommands(), config.maxBatchBytes(),
                config.maxEntriesInFlight(), config.maxQueuedCommands(), config.submitTimeout().toNanos(), nanoClock);
    }

    BatchingSubmitter(String groupName, EntryChannel channel, ScheduledExecutorService executor, AtomicLong callIds,
            int maxBatchCommands, int maxBatchBytes, int maxInFlight, int maxQueued, long timeoutNanos,
            LongSupplier nanoClock) {
        this.groupName = groupName;
        this.channel = channel;
        this.executor = executor;
        this.callIds = callIds;
        this.nanoClock = nanoClock;
        this.maxBatchCommands = maxBatchCommands;
        this.maxBatchBytes = maxBatchBytes;
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
        this.timeoutNanos = timeoutNanos;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
    }

    /**
     * Queues a command for the named state.
     *
     * @return completes with the state's result once the command is committed and applied; fails
     *     with {@link CommandFailedException} (apply threw), {@link TimeoutException} (not answered
     *     in time: it may still be applied), {@link RejectedExecutionException} (the queue is
     *     full), {@link IllegalArgumentException} (too large) or {@link IllegalStateException}
     *     (closed)
     */
    CompletableFuture<byte[]> submit(String stateName, byte[] command) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException(groupName + ": the cluster node is closed"));
        }
        int nameBytes = stateName.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || nameBytes > BatchCodec.MAX_NAME_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a state name must have 1 to "
                    + BatchCodec.MAX_NAME_BYTES + " UTF-8 bytes, got " + nameBytes));
        }
        BatchCodec.Command c = new BatchCodec.Command(stateName, command);
        int size = c.encodedSize();
        if (size + 5 > maxBatchBytes) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a command of " + command.length
                    + " bytes does not fit the entry limit of " + maxBatchBytes + " bytes"));
        }
        Pending p = new Pending(c, size, new CompletableFuture<>(), nanoClock.getAsLong() + timeoutNanos);
        if (!queue.offer(p)) {
            return CompletableFuture.failedFuture(new RejectedExecutionException(groupName + ": " + maxQueued
                    + " commands already wait to be committed; try again later"));
        }
        if (closed) {
            failQueued(new IllegalStateException(groupName + ": the cluster node is closed"));
        } else {
            schedulePump();
        }
        return p.future;
    }

    int queued() {
        return queue.size();
    }

    long entriesAnswered() {
        return entriesAnswered.get();
    }

    long commandsAnswered() {
        return commandsAnswered.get();
    }

    long retries() {
        return retries.get();
    }

    /** Tells the pipeline that leadership moved: a new local leader may send more at once. */
    void leadershipMoved() {
        schedulePump();
    }

    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            run(this::pump);
        }
    }

    private void run(Runnable task) {
        try {
            executor.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            if (!closed) {
                LOG.warn("{}: submit thread refused a task: {}", groupName, e.toString());
            }
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.error("{}: submit task failed", groupName, t);
        }
    }

    private void pump() {
        pumpScheduled.set(false);
        if (closed) {
            return;
        }
        expireQueued(nanoClock.getAsLong());
        if (recovering) {
            return;
        }
        while (!recovering && inFlight.size() < limit()) {
            Entry e = takeBatch();
            if (e == null) {
                return;
            }
            inFlight.addLast(e);
            attempt(e);
        }
    }

    /**
     * Entries may be pipelined only into this server's own log, in one term: then they are
     * appended in send order. An entry that went to another server must be answered first.
     */
    private int limit() {
        if (inFlight.isEmpty()) {
            return maxInFlight;
        }
        long term = channel.localLeaderTerm();
        if (term <= 0) {
            return 1;
        }
        for (Entry e : inFlight) {
            if (e.sentTerm != term) {
                return 1;
            }
        }
        return maxInFlight;
    }

    private Entry takeBatch() {
        List<Pending> items = new ArrayList<>();
        List<BatchCodec.Command> commands = new ArrayList<>();
        int bytes = 5;
        long deadline = Long.MAX_VALUE;
        while (items.size() < maxBatchCommands) {
            Pending p = queue.peek();
            if (p == null || (!items.isEmpty() && bytes + p.size > maxBatchBytes)) {
                break;
            }
            queue.poll();
            if (p.future.isDone()) {
                continue; // cancelled by the caller before it was sent
            }
            items.add(p);
            commands.add(p.command);
            bytes += p.size;
            deadline = Math.min(deadline, p.deadline);
        }
        if (items.isEmpty()) {
            return null;
        }
        return new Entry(callIds.incrementAndGet(), items, BatchCodec.encodeEntry(commands), deadline);
    }

    private void attempt(Entry e) {
        int attempt = ++e.attempts;
        if (attempt > 1) {
            retries.incrementAndGet();
        }
        CompletableFuture<byte[]> reply;
        try {
            EntryChannel.Sent sent = channel.send(e.callId, e.bytes);
            e.sentTerm = sent.localTerm();
            reply = sent.reply();
        } catch (RuntimeException ex) {
            e.sentTerm = 0;
            reply = CompletableFuture.failedFuture(ex);
        }
        reply.whenComplete((bytes, error) -> {
            try {
                executor.execute(() -> guarded(() -> onReply(e, attempt, bytes, error)));
            } catch (RejectedExecutionException rejected) {
                e.fail(new IllegalStateException(groupName + ": the cluster node is closed"));
            }
        });
    }

    private void onReply(Entry e, int attempt, byte[] bytes, Throwable error) {
        if (e.done) {
            return;
        }
        if (error == null) {
            answer(e, bytes);
        } else {
            Throwable cause = unwrap(error);
            if (cause instanceof EntryChannel.RetryableException) {
                if (attempt != e.attempts || closed) {
                    return; // an older attempt; a newer one is on its way
                }
                LOG.debug("{}: entry {} (attempt {}) not committed yet: {}", groupName, e.callId, attempt,
                        cause.getMessage());
                recovering = true;
                if (resending == null || resending == e) {
                    resending = null;
                    failures++;
                    scheduleResend();
                }
                return;
            }
            e.fail(cause);
        }
        inFlight.remove(e);
        if (e == resending) {
            resending = null;
            failures = 0;
            resendNext();
        }
        pump();
    }

    private void answer(Entry e, byte[] reply) {
        List<BatchCodec.Outcome> outcomes;
        try {
            outcomes = BatchCodec.decodeReply(reply);
        } catch (IOException ex) {
            e.fail(new IllegalStateException(groupName + ": unreadable reply to entry " + e.callId + ": "
                    + ex.getMessage()));
            return;
        }
        if (outcomes.size() != e.items.size()) {
            e.fail(new IllegalStateException(groupName + ": the reply to entry " + e.callId + " has "
                    + outcomes.size() + " outcomes for " + e.items.size() + " commands"));
            return;
        }
        e.done = true;
        entriesAnswered.incrementAndGet();
        commandsAnswered.addAndGet(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            BatchCodec.Outcome o = outcomes.get(i);
            CompletableFuture<byte[]> f = e.items.get(i).future;
            if (o.isError()) {
                f.completeExceptionally(new CommandFailedException(o.error()));
            } else {
                f.complete(o.result());
            }
        }
    }

    private void scheduleResend() {
        if (resendScheduled) {
            return;
        }
        resendScheduled = true;
        long delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(10, Math.max(0, failures - 1)));
        try {
            executor.schedule(() -> guarded(() -> {
                resendScheduled = false;
                if (!closed && recovering && resending == null) {
                    resendNext();
                }
            }), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ex) {
            resendScheduled = false;
        }
    }

    /** Resends the oldest unanswered entry, or ends the recovery when none is left. */
    private void resendNext() {
        expireInFlight(nanoClock.getAsLong());
        Entry first = inFlight.peekFirst();
        if (first == null) {
            recovering = false;
            failures = 0;
            schedulePump();
            return;
        }
        resending = first;
        attempt(first);
    }

    /** Fails the commands whose time-out passed: queued ones, and entries still unanswered. */
    void expire() {
        run(() -> {
            long now = nanoClock.getAsLong();
            expireQueued(now);
            int before = inFlight.size();
            boolean wasResending = resending != null;
            expireInFlight(now);
            if (inFlight.size() != before) {
                if (wasResending && resending == null && recovering) {
                    resendNext();
                }
                pump();
            }
        });
    }

    private void expireQueued(long now) {
        for (Pending p = queue.peek(); p != null && now - p.deadline >= 0; p = queue.peek()) {
            queue.poll();
            p.future.completeExceptionally(new TimeoutException(groupName + ": no leader took the command within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; it was not sent"));
        }
    }

    private void expireInFlight(long now) {
        inFlight.removeIf(e -> {
            if (now - e.deadline < 0) {
                return false;
            }
            e.fail(new TimeoutException(groupName + ": entry " + e.callId + " was not answered within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + e.attempts
                    + " attempts); it may still be applied"));
            if (e == resending) {
                resending = null;
            }
            return true;
        });
    }

    /**
     * Fails every waiting and unanswered command with {@code reason}; later submits fail at once.
     * Runs on the submit thread when it still runs.
     */
    void close(Throwable reason) {
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    for (Entry e : inFlight) {
                        e.fail(reason);
                    }
                    inFlight.clear();
                } finally {
                    done.complete(null);
                }
            });
            done.get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            LOG.warn("{}: could not fail the entries in flight on the submit thread: {}", groupName, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued(reason);
    }

    private void failQueued(Throwable reason) {
        for (Pending p = queue.poll(); p != null; p = queue.poll()) {
            p.future.completeExceptionally(reason);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private record Pending(BatchCodec.Command command, int size, CompletableFuture<byte[]> future, long deadline) {
    }

    /** One Raft entry: its commands, its bytes, and its call id for every attempt. */
    private static final class Entry {
        final long callId;
        final List<Pending> items;
        final byte[] bytes;
        final long deadline;
        int attempts;
        /** The local leader's term the last attempt went to, or 0 (another server). */
        long sentTerm;
        volatile boolean done;

        Entry(long callId, List<Pending> items, byte[] bytes, long deadline) {
            this.callId = callId;
            this.items = items;
            this.bytes = bytes;
            this.deadline = deadline;
        }

        void fail(Throwable reason) {
            done = true;
            for (Pending p : items) {
                p.future.completeExceptionally(reason);
            }
        }
    }
}
