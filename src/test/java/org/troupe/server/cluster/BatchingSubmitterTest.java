package org.troupe.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The batching submitter between a fake channel (entries held until the test answers) and futures. */
@Tag("unit")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchingSubmitterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    private final FakeChannel channel = new FakeChannel();
    private final AtomicLong clock = new AtomicLong();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private BatchingSubmitter submitter(int maxCommands, int maxBytes, int maxInFlight, int maxQueued) {
        return new BatchingSubmitter("shard-0", channel, executor, new AtomicLong(), maxCommands, maxBytes,
                maxInFlight, maxQueued, TimeUnit.SECONDS.toNanos(10), clock::get);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One entry sent: its call id, its commands, and the reply to complete. */
    record SentEntry(long callId, List<BatchCodec.Command> commands, CompletableFuture<byte[]> reply, long localTerm) {
        List<String> payloads() {
            List<String> out = new ArrayList<>();
            for (BatchCodec.Command c : commands) {
                out.add(new String(c.payload(), StandardCharsets.UTF_8));
            }
            return out;
        }

        /** Answers every command with its payload reversed, or an error for "err..." payloads. */
        void answer() {
            List<BatchCodec.Outcome> outcomes = new ArrayList<>();
            for (String p : payloads()) {
                outcomes.add(p.startsWith("err") ? BatchCodec.Outcome.failed("no " + p)
                        : BatchCodec.Outcome.ok(b(new StringBuilder(p).reverse().toString())));
            }
            reply.complete(BatchCodec.encodeReply(outcomes));
        }

        void retryable() {
            reply.completeExceptionally(new EntryChannel.RetryableException("not leader", null));
        }
    }

    static final class FakeChannel implements EntryChannel {
        final List<SentEntry> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile long term;

        @Override
        public long localLeaderTerm() {
            return term;
        }

        @Override
        public EntryChannel.Sent send(long callId, byte[] entry) {
            try {
                SentEntry s = new SentEntry(callId, BatchCodec.decodeEntry(entry), new CompletableFuture<>(), term);
                sent.add(s);
                return new EntryChannel.Sent(term, s.reply);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }

        /** Nothing more is sent within the time: an entry must wait for an answer. */
        void assertStillSent(int n, long millis) throws InterruptedException {
            assertStillSent(n, millis, "no more entries");
        }

        void assertStillSent(int n, long millis, String why) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() - deadline < 0) {
                assertEquals(n, sent.size(), why);
                Thread.sleep(5);
            }
            assertEquals(n, sent.size(), why);
        }

        SentEntry await(int n) throws Exception {
            LocalCluster.await(() -> sent.size() > n, WAIT, "entry " + (n + 1) + " sent (have " + sent.size() + ")");
            return sent.get(n);
        }
    }

    @Test
    void anIdleCommandGoesAloneAndGetsItsResult() throws Exception {
        BatchingSubmitter s = submitter(8, 4096, 1, 100);
        CompletableFuture<byte[]> f = s.submit("a", b("abc"));
        SentEntry e = channel.await(0);
        assertEquals(List.of("abc"), e.payloads());
        assertEquals("a", e.commands().get(0).stateName());
        e.answer();
        assertArrayEquals(b("cba"), f.get(10, TimeUnit.SECONDS));
    }

    @Test
    void commandsSubmittedWhileAnEntryIsInFlightShareTheNextEntriesUpToTheLimits() throws Exception {
        BatchingSubmitter s = submitter(4, 4096, 1, 100);
        List<CompletableFuture<byte[]>> fs = new ArrayList<>();
        fs.add(s.submit("a", b("c0")));
        SentEntry first = channel.await(0);
        for (int i = 1; i <= 10; i++) {
            fs.add(s.submit("a", b("c" + i)));
        }
        channel.assertStillSent(1, 50);
        first.answer();
        SentEntry second = channel.await(1);
        assertEquals(List.of("c1", "c2", "c3", "c4"), second.payloads());
        second.answer();
        SentEntry third = channel.await(2);
        assertEquals(List.of("c5", "c6", "c7", "c8"), third.payloads());
        third.answer();
        SentEntry fourth = channel.await(3);
        assertEquals(List.of("c9", "c10"), fourth.payloads());
        fourth.answer();
        for (int i = 0; i <= 10; i++) {
            assertArrayEquals(b(new StringBuilder("c" + i).reverse().toString()), fs.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(4, s.entriesAnswered());
        assertEquals(11, s.commandsAnswered());
    }

    @Test
    void theByteLimitSplitsBatches() throws Exception {
        BatchingSubmitter s = submitter(100, 1024, 1, 100);
        s.submit("a", b("first"));
        SentEntry first = channel.await(0);
        byte[] big = new byte[400];
        for (int i = 0; i < 3; i++) {
            s.submit("a", big);
        }
        first.answer();
        assertEquals(2, channel.await(1).commands().size()); // 2 x (400 + 7) + 5 fits 1024, 3 do not
    }

    @Test
    void aLocalLeaderPipelinesEntriesAndARemoteOneSendsOneAtATime() throws Exception {
        channel.term = 7;
        BatchingSubmitter s = submitter(1, 4096, 3, 100);
        for (int i = 0; i < 5; i++) {
            s.submit("a", b("c" + i));
        }
        channel.await(2);
        channel.assertStillSent(3, 50, "three in flight at most");
        channel.term = 0; // leadership moved away
        channel.sent.get(0).answer();
        channel.assertStillSent(3, 50, "nothing goes to another server before the local entries are answered");
        channel.sent.get(1).answer();
        channel.sent.get(2).answer();
        SentEntry fourth = channel.await(3);
        assertEquals(0, fourth.localTerm());
        channel.assertStillSent(4, 50, "the remote entry must be answered before the next goes");
        fourth.answer();
        channel.await(4).answer();
    }

    @Test
    void afterARetryableFailureTheUnansweredEntriesAreResentInOrderWithTheirCallIds() throws Exception {
        channel.term = 3;
        BatchingSubmitter s = submitter(1, 4096, 3, 100);
        List<CompletableFuture<byte[]>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(s.submit("a", b("c" + i)));
        }
        SentEntry e0 = channel.await(0);
        SentEntry e1 = channel.await(1);
        SentEntry e2 = channel.await(2);
        channel.term = 0;
        e1.retryable(); // the middle one fails first: nothing may overtake e0
        e0.retryable();
        SentEntry r0 = channel.await(3);
        assertEquals(e0.callId(), r0.callId());
        channel.assertStillSent(4, 100, "one resend at a time");
        r0.answer();
        SentEntry r1 = channel.await(4);
        assertEquals(e1.callId(), r1.callId());
        e2.answer(); // the original e2 succeeds late: fine, it is answered once
        r1.answer();
        SentEntry next = channel.await(5);
        assertEquals(List.of("c3"), next.payloads(), "e2 answered, so the queue moves on");
        next.answer();
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(b(new StringBuilder("c" + i).reverse().toString()), fs.get(i).get(10, TimeUnit.SECONDS));
        }
        assertTrue(s.retries() >= 2);
    }

    @Test
    void eachCommandGetsItsOwnOutcome() throws Exception {
        BatchingSubmitter s = submitter(8, 4096, 1, 100);
        s.submit("a", b("first"));
        SentEntry first = channel.await(0);
        CompletableFuture<byte[]> ok = s.submit("a", b("ok"));
        CompletableFuture<byte[]> err = s.submit("b", b("err-x"));
        first.answer();
        channel.await(1).answer();
        assertArrayEquals(b("ko"), ok.get(10, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> err.get(10, TimeUnit.SECONDS));
        assertInstanceOf(CommandFailedException.class, e.getCause());
        assertEquals("no err-x", e.getCause().getMessage());
    }

    @Test
    void aFullQueueRefusesAtOnceAndATooLargeCommandIsRefused() throws Exception {
        BatchingSubmitter s = submitter(8, 1024, 1, 2);
        s.submit("a", b("x"));
        channel.await(0);
        s.submit("a", b("y"));
        s.submit("a", b("z"));
        ExecutionException full = assertThrows(ExecutionException.class,
                () -> s.submit("a", b("w")).get(1, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, full.getCause());
        ExecutionException big = assertThrows(ExecutionException.class,
                () -> s.submit("a", new byte[2000]).get(1, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, big.getCause());
    }

    @Test
    void commandsNotAnsweredInTimeFailWithTimeout() throws Exception {
        BatchingSubmitter s = submitter(8, 4096, 1, 100);
        CompletableFuture<byte[]> sent = s.submit("a", b("x"));
        channel.await(0);
        CompletableFuture<byte[]> queued = s.submit("a", b("y"));
        clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
        s.expire();
        ExecutionException e1 = assertThrows(ExecutionException.class, () -> sent.get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e1.getCause());
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> queued.get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e2.getCause());
        assertTrue(e2.getCause().getMessage().contains("not sent"), e2.getCause().getMessage());
    }

    @Test
    void closeFailsWhatWaitsAndRefusesMore() throws Exception {
        BatchingSubmitter s = submitter(8, 4096, 1, 100);
        CompletableFuture<byte[]> inFlight = s.submit("a", b("x"));
        channel.await(0);
        CompletableFuture<byte[]> queued = s.submit("a", b("y"));
        s.close(new IllegalStateException("closed"));
        assertInstanceOf(IllegalStateException.class,
                assertThrows(ExecutionException.class, () -> inFlight.get(5, TimeUnit.SECONDS)).getCause());
        assertInstanceOf(IllegalStateException.class,
                assertThrows(ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS)).getCause());
        assertTrue(s.submit("a", b("z")).isCompletedExceptionally());
    }
}
