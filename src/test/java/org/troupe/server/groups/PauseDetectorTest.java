package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server that did not run for a while (a pause) does not count that while as its members'
 * silence: the reaper's detector tells a pause from a late or long run, and the group's liveness
 * then gives every member, and the sequencer holder, a fresh suspect time. On an injected clock.
 */
@Tag("unit")
class PauseDetectorTest {
    private static final long MS = 1_000_000L;

    @Test
    void aSleepLongerThanTheThresholdIsAPauseAndARunsOwnLengthIsNot() {
        PauseDetector d = PauseDetector.forSuspectTime(2500, 250); // threshold 1250 ms
        assertFalse(d.awake(0), "the first run follows no sleep");
        d.asleep(10 * MS);
        assertFalse(d.awake(260 * MS), "the delay");
        d.asleep(5000 * MS); // this run waited 4.7 s for the cluster: not a pause
        assertFalse(d.awake(5250 * MS));
        d.asleep(5260 * MS);
        assertFalse(d.awake(6510 * MS), "late by 1 s: not yet a pause");
        d.asleep(6520 * MS);
        assertTrue(d.awake(9520 * MS), "stopped for 3 s");
        assertFalse(d.awake(9600 * MS), "told once");
        PauseDetector shortSuspect = PauseDetector.forSuspectTime(1000, 250); // at least four delays: 1000 ms
        shortSuspect.asleep(0);
        assertFalse(shortSuspect.awake(1000 * MS));
        shortSuspect.asleep(0);
        assertTrue(shortSuspect.awake(1001 * MS));
        assertThrows(IllegalArgumentException.class, () -> new PauseDetector(0));
    }

    @Test
    void afterAPauseEveryMemberAndTheSequencerHolderGetAFreshSuspectTime() {
        GroupCore core = GroupCoreTest.classroomCore();
        Liveness live = new Liveness(600);
        Ticket tess = join(core, "Tess", "Teacher", false);
        Ticket vic = join(core, "Vic", "Student", true);
        live.follow(core.memberTokens(), core.view().id(), 0);
        // Tess sends at 100 ms: Vic, the holder, must order it; then the server stops until 3000 ms
        core.apply(new GroupCommand.Send(tess.member().id(), tess.token(), List.of(new Envelope(1, 0,
                Address.group(), "Question", new byte[] {1}, true, new Ref(0, 0), false, 0)), 100 * MS));
        live.heard(tess.member().id(), tess.token(), 100 * MS);
        live.heard(vic.member().id(), vic.token(), 100 * MS);
        live.excuse(3000 * MS);
        assertEquals(List.of(), live.decide(3000 * MS, core), "nobody silent, nothing stalled: the server was stopped");
        live.heard(tess.member().id(), tess.token(), 3200 * MS);
        assertEquals(List.of(), live.decide(3500 * MS, core), "within the fresh suspect time");
        List<GroupCommand.Removal> later = live.decide(3700 * MS, core);
        assertEquals(List.of(vic.member().id()), later.stream().map(GroupCommand.Removal::member).toList(),
                "Vic, silent and holding the sequencer for the suspect time since the pause: " + later);
        live.heard(tess.member().id(), tess.token(), 3700 * MS);
        live.excuse(10 * MS + 3700 * MS); // a second pause: only raises
        assertTrue(live.decide(3800 * MS, core).stream().noneMatch(r -> r.member() == tess.member().id()));
    }

    @Test
    void whatTheChannelReportsRightAfterAPauseWaitsForTheSuspectTime() {
        GroupCore core = GroupCoreTest.classroomCore();
        Liveness live = new Liveness(600);
        Ticket tess = join(core, "Tess", "Teacher", false);
        Ticket sam = join(core, "Sam", "Student", false);
        live.follow(core.memberTokens(), core.view().id(), 0);
        live.excuse(3000 * MS);
        // Sam's consumer on this (stale) server is gone: Sam moved to a new leader during the pause
        live.cutOff(() -> sam.member().id(), "push failed", 3010 * MS);
        for (long t = 3050; t <= 3550; t += 250) {
            live.heard(tess.member().id(), tess.token(), t * MS);
            live.heard(sam.member().id(), sam.token(), t * MS);
            assertEquals(List.of(), live.decide(t * MS, core), "at " + t + " ms: judged after the suspect time");
        }
        List<GroupCommand.Removal> later = live.decide(3600 * MS, core);
        assertEquals(List.of(sam.member().id()), later.stream().map(GroupCommand.Removal::member).toList(),
                "still hosting once the suspect time is over: the cut-off counts");
        assertTrue(later.get(0).reason().contains("cut it off"), later.get(0).reason());
    }

    private static Ticket join(GroupCore core, String name, String role, boolean volunteer) {
        Outcome o = core.apply(new GroupCommand.Join("r-" + name, name, role, volunteer, "token-" + name, 0));
        return (Ticket) o.result();
    }
}
