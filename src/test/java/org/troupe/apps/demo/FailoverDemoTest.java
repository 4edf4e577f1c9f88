package org.troupe.apps.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.server.TroupeProcesses;

/**
 * {@code troupe demo failover} as a user runs it, to its summary: three server processes, the
 * class's leader killed with SIGKILL mid-question, and the class goes on.
 */
@Tag("process")
@Timeout(value = 200, unit = TimeUnit.SECONDS)
class FailoverDemoTest {
    @Test
    void theClassGoesOnAfterItsLeaderIsKilled() throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run(180_000, "demo", "failover");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> out = r.stdout();
        assertEquals(2, out.stream().filter(l -> l.matches("==   SUMMARY Q\\d+ COMPLETE answered=\\w+,\\w+,\\w+ missing=- "
                + "late=0")).count(), "both Questions complete with three Answers each\n" + r.describe());
        assertTrue(out.stream().anyMatch(l -> l.matches("==   s\\d \\(the class's leader\\) was killed with SIGKILL "
                + "mid-question; s\\d took over \\(term \\d+\\)")), r.describe());
        assertTrue(out.stream().anyMatch(l -> l.matches("==   deliveries paused: ann \\d+ ms, bob \\d+ ms, cy \\d+ ms .*")),
                r.describe());
        assertTrue(out.contains("==   every Student got all 10 lines of the proof, once and in order"), r.describe());
        assertTrue(out.contains("==   nobody left the class: no view change came from the server's death"),
                r.describe());
    }

    @Test
    void thePauseIsTheLongestGapThatEndsAfterTheKill() {
        List<Participant.Line> lines = List.of(new Participant.Line("a", 0), new Participant.Line("b", 100_000_000),
                new Participant.Line("c", 1_300_000_000), new Participant.Line("d", 1_400_000_000));
        assertEquals(1200, FailoverDemo.longestGapMs(lines, 150_000_000));
        assertEquals(100, FailoverDemo.longestGapMs(lines, 1_350_000_000));
        assertEquals(0, FailoverDemo.longestGapMs(lines, 2_000_000_000));
    }
}
