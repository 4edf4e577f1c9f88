package org.troupe.member.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.MemberInfo;

/**
 * The heartbeat layer between a scripted bottom and a recorder, on an injected clock: it beats
 * once joined, fails the member past the suspect time without an answer or when the server says
 * "not a member", keeps beating through a leave, and stops once the member is out.
 */
@Tag("unit")
class HeartbeatLayerTest {
    private static final long MS = 1_000_000L;

    /** The bottom: answers each heartbeat as told (null: answered). */
    private static final class ScriptedBottom extends Layer {
        final List<StackEvent> down = new ArrayList<>();
        final Semaphore beats = new Semaphore(0);
        volatile RuntimeException answer;
        volatile Runnable onLeave = () -> { };

        @Override
        public void down(StackEvent e) {
            synchronized (down) {
                down.add(e);
            }
            if (e instanceof StackEvent.Heartbeat) {
                beats.release();
                RuntimeException a = answer;
                if (a != null) {
                    throw a;
                }
            } else if (e instanceof StackEvent.Leave) {
                onLeave.run();
            }
        }

        long heartbeats() {
            synchronized (down) {
                return down.stream().filter(e -> e instanceof StackEvent.Heartbeat).count();
            }
        }
    }

    private long now;
    private final ScriptedBottom bottom = new ScriptedBottom();
    private final HeartbeatLayer heartbeat = new HeartbeatLayer("g", () -> now, false);
    private final StackHarness.Recorder top = new StackHarness.Recorder();
    private final ProtocolStack stack = ProtocolStack.builder().add(bottom).add(heartbeat).add(top).build();

    private void join(long heartbeatMs, long suspectMs) {
        stack.up(new StackEvent.Joined(1, "Peer", 1, StackHarness.view(1, new MemberInfo(1, "p", "Peer")), new int[0],
                heartbeatMs, suspectMs));
    }

    private static ServerUnreachable unreachable() {
        return new ServerUnreachable("TRANSIENT", "group g: cannot reach the server: TRANSIENT");
    }

    @Test
    void beatsOnceJoinedAndNotWithoutHeartbeatTerms() {
        heartbeat.beat();
        assertEquals(0, bottom.heartbeats(), "not before the join");
        join(100, 600);
        heartbeat.beat();
        heartbeat.beat();
        assertEquals(2, bottom.heartbeats());
        assertTrue(top.events.get(0) instanceof StackEvent.Joined, "the join goes on up");

        ScriptedBottom other = new ScriptedBottom();
        HeartbeatLayer off = new HeartbeatLayer("g", () -> now, false);
        ProtocolStack s = ProtocolStack.builder().add(other).add(off).add(new StackHarness.Recorder()).build();
        s.up(new StackEvent.Joined(1, "Peer", 1, StackHarness.view(1)));
        off.beat();
        assertEquals(0, other.heartbeats(), "a join without heartbeat terms: no heartbeats");
    }

    @Test
    void anUnansweredServerFailsTheMemberOnlyPastTheSuspectTime() {
        join(100, 600);
        bottom.answer = unreachable();
        now = 500 * MS;
        heartbeat.beat();
        assertEquals(List.of(), top.lines, "500 ms without an answer is within the suspect time");
        now = 601 * MS;
        heartbeat.beat();
        assertEquals(List.of("failed group g: the server has not answered for 600 ms (TRANSIENT)"), top.lines);
        heartbeat.beat();
        assertEquals(2, bottom.heartbeats(), "a failed member beats no more");
    }

    @Test
    void anAnswerStartsTheSuspectTimeAgain() {
        join(100, 600);
        now = 500 * MS;
        heartbeat.beat(); // answered at 500 ms
        bottom.answer = unreachable();
        now = 1000 * MS;
        heartbeat.beat();
        assertEquals(List.of(), top.lines, "500 ms since the last answer");
        now = 1101 * MS;
        heartbeat.beat();
        assertEquals(1, top.lines.size());
    }

    @Test
    void theServerSayingNotAMemberFailsTheMemberAtOnce() {
        join(100, 600);
        bottom.answer = new RemovedFromGroup("removed from group g: member 1 is not in the group");
        heartbeat.beat();
        assertEquals(List.of("failed removed from group g: member 1 is not in the group"), top.lines);
    }

    @Test
    void aLeavingMemberHeartbeatsUntilTheLeaveIsDoneAndIsNotFailedByIt() {
        join(100, 600);
        bottom.onLeave = () -> {
            heartbeat.beat(); // while the queued messages go first: still alive
            bottom.answer = new RemovedFromGroup("removed from group g: left");
            heartbeat.beat(); // the leave went through at the server: not a failure
        };
        stack.down(new StackEvent.Leave());
        assertEquals(2, bottom.heartbeats());
        assertEquals(List.of(), top.lines, "leaving is not failing");
        heartbeat.beat();
        assertEquals(2, bottom.heartbeats(), "no heartbeats once the leave is done");
    }

    @Test
    void aHaltStopsTheHeartbeatsAndGoesOnDown() {
        join(100, 600);
        stack.down(new StackEvent.Halt("removed"));
        heartbeat.beat();
        assertEquals(0, bottom.heartbeats());
        assertTrue(bottom.down.get(0) instanceof StackEvent.Halt h && h.reason().equals("removed"));
    }

    @Test
    void onItsOwnThreadItBeatsEveryPeriodUntilHalted() throws Exception {
        ScriptedBottom b = new ScriptedBottom();
        HeartbeatLayer timed = new HeartbeatLayer("g");
        ProtocolStack s = ProtocolStack.builder().add(b).add(timed).add(new StackHarness.Recorder()).build();
        s.up(new StackEvent.Joined(1, "Peer", 1, StackHarness.view(1), new int[0], 20, 10_000));
        assertTrue(b.beats.tryAcquire(3, 10, TimeUnit.SECONDS), "three heartbeats, 20 ms apart");
        s.down(new StackEvent.Halt("done"));
        s.stop(); // waits for the heartbeat thread to end
        b.beats.drainPermits();
        assertFalse(b.beats.tryAcquire(1, 200, TimeUnit.MILLISECONDS), "no heartbeat after the halt");
    }
}
