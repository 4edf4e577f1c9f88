package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench latency}'s checks and figures on hand-made logs: a member that missed, repeated or
 * reordered a message fails the run, naming it; the latency of a message is its last member's
 * delivery minus its send; the board paces the sender.
 */
@Tag("unit")
class LatencyBenchAnalysisTest {
    private static final int SEQ = LatencyDriver.SEQUENCED;

    /** A member that delivered messages 0..n-1 of the sequenced kind at base + 10*k + extra. */
    private static LatencyLog member(int n, long base, long extra) {
        LatencyLog log = new LatencyLog(2, n);
        for (int k = 0; k < n; k++) {
            assertEquals(k + 1, log.delivered(SEQ, k, base + 10L * k + extra));
        }
        return log;
    }

    @Test
    void aMessageTakesAsLongAsItsSlowestMember() {
        LatencyLog sender = member(4, 1000, 3);
        for (int k = 0; k < 4; k++) {
            sender.sent(SEQ, k, 1000 + 10L * k);
        }
        LatencyLog slow = member(4, 1000, 7);
        LatencyBench.Figures f = LatencyBench.analyse("sequenced", SEQ, 1, 4, List.of(member(4, 1000, 5), slow, sender),
                2);
        assertEquals(3, f.msgs(), "the warm-up message is left out");
        assertEquals(7, f.p50());
        assertEquals(7, f.max());
    }

    @Test
    void oneMembersLatencyIsItsOwnDeliveryMinusTheSend() {
        LatencyLog sender = member(3, 1000, 3);
        for (int k = 0; k < 3; k++) {
            sender.sent(SEQ, k, 1000 + 10L * k);
        }
        List<LatencyLog> logs = List.of(member(3, 1000, 5), member(3, 1000, 9), sender);
        LatencyBench.Figures hosted = LatencyBench.atMembers("sequenced", SEQ, 1, 3, logs, 2, List.of(1));
        assertEquals(2, hosted.msgs());
        assertEquals(9, hosted.p50());
        LatencyBench.Figures both = LatencyBench.atMembers("sequenced", SEQ, 1, 3, logs, 2, List.of(0, 1));
        assertEquals(4, both.msgs(), "pooled over the members");
        assertEquals(9, both.p50(), "5, 5, 9, 9: the upper median");
        assertEquals(9, both.max());
    }

    @Test
    void aLostMessageFailsTheRunNamingTheMember() {
        LatencyLog sender = member(4, 1000, 3);
        LatencyLog short1 = member(3, 1000, 5); // message 3 never came
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LatencyBench.analyse("sequenced", SEQ, 0, 4, List.of(short1, sender), 1));
        assertTrue(e.getMessage().contains("member 0 delivered 3 of 4 sequenced messages: message 3 was lost"),
                e.getMessage());
    }

    @Test
    void aReorderedOrRepeatedMessageIsTheMembersProblemAndFailsTheRun() {
        LatencyLog reordered = new LatencyLog(2, 4);
        assertEquals(1, reordered.delivered(SEQ, 0, 1));
        assertEquals(-1, reordered.delivered(SEQ, 2, 2));
        assertEquals("delivered message 2 before message 1 (kind 0)", reordered.problem());
        assertEquals(-1, reordered.delivered(SEQ, 1, 3), "the log stops at the first problem");

        LatencyLog repeated = new LatencyLog(2, 4);
        repeated.delivered(SEQ, 0, 1);
        repeated.delivered(SEQ, 0, 2);
        assertEquals("delivered message 0 again (or late) (kind 0)", repeated.problem());

        LatencyLog sender = member(4, 1000, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LatencyBench.analyse("sequenced", SEQ, 0, 4, List.of(reordered, sender), 1));
        assertTrue(e.getMessage().contains("member 0: delivered message 2 before message 1"), e.getMessage());
    }

    @Test
    void aDeliveryBeforeItsSendFailsTheRun() {
        LatencyLog sender = member(2, 1000, 0); // delivered at its send time: not after it
        sender.sent(SEQ, 0, 1000);
        sender.sent(SEQ, 1, 1010);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LatencyBench.analyse("sequenced", SEQ, 0, 2, List.of(sender), 0));
        assertTrue(e.getMessage().contains("message 0 delivered 0 ns after it was sent"), e.getMessage());
    }

    @Test
    void aLogSurvivesItsFile(@TempDir Path dir) throws Exception {
        LatencyLog log = member(3, 500, 1);
        log.sent(SEQ, 2, 42);
        log.fail("nothing delivered for 60 s");
        log.write(dir.resolve("m"));
        LatencyLog back = LatencyLog.read(dir.resolve("m"));
        assertEquals(3, back.count(SEQ));
        assertEquals(521, back.deliveries(SEQ)[2]);
        assertEquals(42, back.sends(SEQ)[2]);
        assertEquals("nothing delivered for 60 s", back.problem());
        assertEquals(0, LatencyLog.read(dir.resolve("m")).count(LatencyDriver.REACTIVE));
        LatencyLog clean = member(1, 1, 1);
        clean.write(dir.resolve("c"));
        assertNull(LatencyLog.read(dir.resolve("c")).problem());
    }

    @Test
    void theBoardTellsTheSenderWhenEveryMemberHasAMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("board");
        try (DeliveryBoard a = DeliveryBoard.open(file, 2, 3); DeliveryBoard b = DeliveryBoard.open(file, 2, 3)) {
            a.delivered(SEQ, 0, 1);
            a.delivered(SEQ, 1, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> b.awaitAll(SEQ, 1, 50_000_000L));
            assertTrue(e.getMessage().contains("[member 2 at 0]"), e.getMessage());
            a.delivered(SEQ, 2, 1);
            b.awaitAll(SEQ, 1, 5_000_000_000L); // returns: all three have message 0
            assertEquals(0, b.count(LatencyDriver.REACTIVE, 2), "kinds have their own slots");
        }
        assertTrue(Files.size(file) >= 48);
    }

    @Test
    void theMemberThatDeliversLastWakesTheSender(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("board");
        // the sender looks at the board by itself only every minute: only the wake-up can end its wait in time
        try (DeliveryBoard sender = DeliveryBoard.open(file, 2, 3, 60_000);
                DeliveryBoard members = DeliveryBoard.open(file, 2, 3)) {
            members.delivered(SEQ, 0, 1);
            java.util.concurrent.CompletableFuture<Void> waited = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    sender.awaitAll(SEQ, 1, 120_000_000_000L);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!sender.senderSleeps() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(sender.senderSleeps(), "the sender sleeps on its socket, its port on the board");
            members.delivered(SEQ, 1, 1);
            assertFalse(waited.isDone(), "two of three have it: the sender still waits");
            members.delivered(SEQ, 2, 1); // the last one: wakes the sender
            waited.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1, sender.wakeups());
        }
    }

    @Test
    void theSenderThinksForTheGapBetweenMessagesOutsideEveryFigure(@TempDir Path dir) throws Exception {
        int n = 5;
        long gapMillis = 20;
        try (DeliveryBoard board = DeliveryBoard.open(dir.resolve("board"), 2, 1)) {
            LatencyDriver driver = new LatencyDriver(0, n, 64, new int[] {SEQ}, board, gapMillis, 0);
            List<Long> sends = new java.util.ArrayList<>();
            driver.send((kind, payload) -> { // the only member delivers at once
                sends.add(System.nanoTime());
                driver.delivered(payload, 0, payload.length, System.nanoTime());
            });
            assertNull(driver.log().problem());
            assertEquals(n, sends.size());
            for (int k = 1; k < n; k++) {
                long apart = sends.get(k) - sends.get(k - 1);
                assertTrue(apart >= gapMillis * 1_000_000L, "message " + k + " sent " + apart + " ns after the one before");
            }
            assertEquals(n, driver.log().count(SEQ));
        }
    }

    @Test
    void everyKindWarmsUpBeforeAnyKindIsMeasured(@TempDir Path dir) throws Exception {
        int[] kinds = {SEQ, LatencyDriver.REACTIVE};
        try (DeliveryBoard board = DeliveryBoard.open(dir.resolve("board"), 2, 1)) {
            LatencyDriver driver = new LatencyDriver(0, 3, 64, kinds, board, 0, 2);
            List<String> sent = new java.util.ArrayList<>();
            driver.send((kind, payload) -> {
                sent.add(kind + ":" + java.nio.ByteBuffer.wrap(payload).getLong(8));
                driver.delivered(payload, 0, payload.length, System.nanoTime());
            });
            assertNull(driver.log().problem());
            assertEquals(List.of("0:0", "0:1", "1:0", "1:1", "0:2", "1:2"), sent);
        }
    }
}
