package org.troupe.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PreferredLeaderRestorerTest {
    private static final long S = 1_000_000_000L;

    /** Groups led here for others, as a test sets them; hand-overs recorded (or failing). */
    private static final class Fake implements PreferredLeaderRestorer.Leaderships {
        volatile List<PreferredLeaderRestorer.Candidate> led = new ArrayList<>();
        final List<String> handedOver = new ArrayList<>();
        volatile RuntimeException failWith;

        @Override
        public List<PreferredLeaderRestorer.Candidate> ledForOthers() {
            if (failWith instanceof IllegalStateException e) {
                throw e;
            }
            return led;
        }

        @Override
        public void handOver(String group, String to, Duration timeout) {
            if (failWith != null) {
                throw failWith;
            }
            handedOver.add(group + "->" + to);
            led = led.stream().filter(c -> !c.group().equals(group)).toList();
        }
    }

    @Test
    void aPreferredLeaderGetsItsGroupsBackOneAtATimeOnceItHasAnsweredForTheDelay() {
        Fake f = new Fake();
        long[] now = {0};
        PreferredLeaderRestorer r = new PreferredLeaderRestorer("s1", f, Duration.ofSeconds(30), () -> now[0]);
        f.led = List.of(new PreferredLeaderRestorer.Candidate("shard-1", "s2", false),
                new PreferredLeaderRestorer.Candidate("shard-4", "s2", false));
        assertNull(r.check(), "s2 is down");
        now[0] = 10 * S;
        f.led = List.of(new PreferredLeaderRestorer.Candidate("shard-1", "s2", true),
                new PreferredLeaderRestorer.Candidate("shard-4", "s2", true));
        assertNull(r.check(), "s2 answers from now on");
        now[0] = 39 * S;
        assertNull(r.check(), "not yet 30 s");
        now[0] = 40 * S;
        assertEquals("shard-1", r.check(), "after 30 s: one group");
        assertEquals(List.of("shard-1->s2"), f.handedOver);
        assertEquals("shard-4", r.check(), "the next at the next check: no storm");
        assertNull(r.check());
        assertEquals(List.of("shard-1->s2", "shard-4->s2"), f.handedOver);
    }

    @Test
    void aBreakInAnsweringStartsTheDelayAgainAndAFailedHandOverWaitsAnotherDelay() {
        Fake f = new Fake();
        long[] now = {0};
        PreferredLeaderRestorer r = new PreferredLeaderRestorer("s1", f, Duration.ofSeconds(30), () -> now[0]);
        f.led = List.of(new PreferredLeaderRestorer.Candidate("shard-2", "s3", true));
        r.check();
        now[0] = 20 * S;
        f.led = List.of(new PreferredLeaderRestorer.Candidate("shard-2", "s3", false));
        assertNull(r.check(), "s3 went again");
        f.led = List.of(new PreferredLeaderRestorer.Candidate("shard-2", "s3", true));
        now[0] = 25 * S;
        assertNull(r.check());
        now[0] = 54 * S;
        assertNull(r.check(), "30 s from when it answered again, not from the first time");
        now[0] = 55 * S;
        f.failWith = new IllegalArgumentException("transfer refused");
        assertNull(r.check(), "the hand-over failed: logged");
        f.failWith = null;
        now[0] = 60 * S;
        assertNull(r.check(), "tried again only after another full delay");
        now[0] = 85 * S;
        assertEquals("shard-2", r.check());
    }

    @Test
    void theScheduledCheckSurvivesAnyThrowable() throws Exception {
        Fake f = new Fake();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch threeCalls = new CountDownLatch(3);
        PreferredLeaderRestorer.Leaderships throwing = new PreferredLeaderRestorer.Leaderships() {
            @Override
            public List<PreferredLeaderRestorer.Candidate> ledForOthers() {
                threeCalls.countDown();
                if (calls.incrementAndGet() % 2 == 1) {
                    throw new AssertionError("an Error from below");
                }
                return f.ledForOthers();
            }

            @Override
            public void handOver(String group, String to, Duration timeout) {
                f.handOver(group, to, timeout);
            }
        };
        try (PreferredLeaderRestorer r = new PreferredLeaderRestorer("s1", throwing, Duration.ofSeconds(1),
                System::nanoTime)) {
            r.start(Duration.ofMillis(20));
            assertTrue(threeCalls.await(10, TimeUnit.SECONDS), "the checks go on after a throw");
        }
    }

    @Test
    void theDelayAndThePeriodAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> new PreferredLeaderRestorer("s1", new Fake(), Duration.ZERO, System::nanoTime));
        assertEquals(Duration.ofSeconds(10), PreferredLeaderRestorer.period(Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(1), PreferredLeaderRestorer.period(Duration.ofSeconds(2)));
        assertEquals(Duration.ofSeconds(10), PreferredLeaderRestorer.period(Duration.ofMinutes(10)));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.builder().serverId("s1")
                .peers("s1=127.0.0.1:9000").dataDir(java.nio.file.Path.of("x")).restoreLeadersAfter(Duration.ofSeconds(-1))
                .build());
    }
}
