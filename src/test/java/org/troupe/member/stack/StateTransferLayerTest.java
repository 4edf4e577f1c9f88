package org.troupe.member.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.stack.StackHarness.change;
import static org.troupe.member.stack.StackHarness.implied;
import static org.troupe.member.stack.StackHarness.sequenced;
import static org.troupe.member.stack.StackHarness.view;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.StateTransfer;
import org.troupe.member.model.View;
import org.troupe.protocol.SystemTypes;

/**
 * State transfer between a fake transport and a recorder: the joiner holds its deliveries until
 * the state comes, then drops what the state includes; candidates that have none, leave or time
 * out are skipped; the provider side captures at the request's place and lists the unsequenced
 * messages the state includes.
 */
@Tag("unit")
class StateTransferLayerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final MemberInfo TEACHER = new MemberInfo(1, "tina", "Teacher");
    private static final MemberInfo ANN = new MemberInfo(2, "ann", "Student");
    private static final MemberInfo BOB = new MemberInfo(3, "bob", "Student");
    private static final MemberInfo JOE = new MemberInfo(4, "joe", "Student");

    /** What the joiner's layer asked, of whom. */
    private final List<long[]> requests = new ArrayList<>();

    /** Above the layer: notes each state request it passes up for the application side to send. */
    private final Layer requestRecorder = new Layer() {
        @Override
        public void up(StackEvent e) {
            if (e instanceof StackEvent.RequestState q) {
                StateChunks.Request r = StateChunks.parseRequest(q.payload());
                requests.add(new long[] {q.provider(), r.attempt(), r.joinSequenceId()});
            }
            passUp(e);
        }
    };

    private StackHarness joiner(String fromRole, long timeoutMs, int holdLimit) {
        StackHarness h = new StackHarness(new StateTransferLayer(true, fromRole, timeoutMs, holdLimit),
                requestRecorder);
        View v = view(5, TEACHER, ANN, BOB, JOE);
        h.joined(JOE.id(), "Student", 10, v);
        h.up(new StackEvent.DeliverView(change(10, v, List.of(JOE), List.of(), List.of())));
        return h;
    }

    private static StackEvent.Deliver state(MemberInfo from, List<byte[]> chunks, int i) {
        return new StackEvent.Deliver(new GroupMessage(from.id(), 100 + i, Destination.member(JOE.id()),
                SystemTypes.STATE, chunks.get(i), true, 0, 0, true, 0), 0);
    }

    private static StackEvent.Deliver seq(long source, long id, long seq) {
        return new StackEvent.Deliver(sequenced(source, id, "Question", Destination.group()), seq);
    }

    private static StackEvent.Deliver unseq(long source, long id, long at) {
        return new StackEvent.Deliver(implied(source, id, "Play", Destination.group(), 0, 0, at), at);
    }

    private static List<StateTransfer> transfers(StackHarness h) {
        List<StateTransfer> out = new ArrayList<>();
        for (StackEvent e : h.top.events) {
            if (e instanceof StackEvent.DeliverState s) {
                out.add(s.transfer());
            }
        }
        return out;
    }

    @Test
    void theJoinerAsksTheOldestOfTheRoleAndDropsWhatTheStateIncludes() {
        StackHarness h = joiner("Teacher", 10_000, 100);
        assertEquals(1, requests.size());
        assertArrayEquals(new long[] {TEACHER.id(), 1, 10}, requests.get(0), "asks tina, attempt 1, since seq 10");
        assertEquals(List.of("view 5"), h.top.lines, "the join's view passes; nothing else yet");

        h.up(seq(1, 7, 11));          // before the request's place: in the state
        h.up(unseq(2, 3, 11));        // delivered by the provider before the capture: listed
        h.up(unseq(3, 4, 11));        // not delivered by the provider before the capture: kept
        h.up(seq(1, 8, 12));          // at the request's place (the provider captured after it): in the state
        h.up(seq(1, 9, 13));          // after the request: kept
        assertEquals(List.of("view 5"), h.top.lines, "held while the state is on its way");

        byte[] state = "Q1 A1".getBytes(StandardCharsets.UTF_8);
        List<byte[]> chunks = StateChunks.reply(1, 12, new long[] {2, 3, 2, 6}, state, 1000);
        h.up(state(TEACHER, chunks, 0));
        List<StateTransfer> t = transfers(h);
        assertEquals(1, t.size());
        assertArrayEquals(state, t.get(0).state());
        assertEquals(TEACHER, t.get(0).from());
        assertEquals(12, t.get(0).sequenceId());
        assertEquals(List.of("view 5", "Play 3/4", "Question 1/9"), h.top.lines,
                "sequenced up to 12 and the listed unsequenced message are in the state; the rest follows it");

        h.up(unseq(2, 6, 12));        // listed, but it reaches the joiner only now: still dropped
        h.up(unseq(2, 5, 13));
        h.up(seq(1, 10, 14));
        assertEquals(List.of("view 5", "Play 3/4", "Question 1/9", "Play 2/5", "Question 1/10"), h.top.lines);
    }

    @Test
    void aStateInSeveralChunksIsJoinedInIndexOrder() {
        StackHarness h = joiner(null, 10_000, 100);
        assertArrayEquals(new long[] {TEACHER.id(), 1, 10}, requests.get(0), "any role: the oldest member");
        byte[] big = new byte[5000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        List<byte[]> chunks = StateChunks.reply(1, 11, new long[0], big, 1000);
        assertEquals(6, chunks.size(), "5004 bytes of blob in slices of " + (1000 - StateChunks.HEADER));
        for (int i = chunks.size() - 1; i >= 0; i--) {
            assertTrue(transfers(h).isEmpty(), "not before the last chunk");
            h.up(state(TEACHER, chunks, i));
        }
        assertArrayEquals(big, transfers(h).get(0).state());
    }

    @Test
    void aCandidateWithoutStateThenOneThatLeavesThenOneThatIsSilent() {
        StackHarness h = joiner("Student", 3_000, 100);
        assertArrayEquals(new long[] {ANN.id(), 1, 10}, requests.get(0), "the oldest Student");
        h.up(state(ANN, List.of(StateChunks.none(1, 11, "no state provider")), 0));
        assertArrayEquals(new long[] {BOB.id(), 2, 10}, requests.get(1), "then the next Student, attempt 2");

        h.up(seq(1, 7, 12));
        View without = view(6, TEACHER, JOE);
        h.up(new StackEvent.DeliverView(change(13, without, List.of(), List.of(), List.of(BOB))));
        assertEquals(2, requests.size(), "bob left, and there is no other earlier Student");
        List<StateTransfer> t = transfers(h);
        assertEquals(1, t.size());
        assertFalse(t.get(0).available());
        assertTrue(t.get(0).note().contains("ann: no state provider") && t.get(0).note().contains("bob left"),
                t.get(0).note());
        assertEquals(List.of("view 5", "Question 1/7", "view 6"), h.top.lines, "with no state, everything held");
    }

    @Test
    void aSilentCandidateTimesOutOnTheStackClock() {
        StackHarness h = joiner(null, 3_000, 100);
        h.up(new StackEvent.Tick(100 * SECOND));
        h.up(new StackEvent.Tick(102 * SECOND));
        assertEquals(1, requests.size(), "2 s of 3");
        h.up(new StackEvent.Tick(103 * SECOND));
        assertEquals(2, requests.size(), "tina timed out: ann is asked");
        assertEquals(ANN.id(), requests.get(1)[0]);
        // tina's late answer is for attempt 1: dropped
        h.up(state(TEACHER, StateChunks.reply(1, 11, new long[0], new byte[] {1}, 1000), 0));
        assertTrue(transfers(h).isEmpty(), "a late reply to an earlier attempt is dropped");
        h.up(state(ANN, StateChunks.reply(2, 15, new long[0], new byte[] {2}, 1000), 0));
        assertArrayEquals(new byte[] {2}, transfers(h).get(0).state());
        assertTrue(transfers(h).get(0).note().contains("tina did not answer within 3000 ms"), transfers(h).get(0).note());
    }

    @Test
    void aReplyFromAnotherMemberIsDropped() {
        StackHarness h = joiner("Teacher", 10_000, 100);
        h.up(state(BOB, StateChunks.reply(1, 11, new long[0], new byte[] {9}, 1000), 0));
        assertTrue(transfers(h).isEmpty(), "bob was not asked");
        h.up(state(TEACHER, List.of(new byte[] {1, 2, 3}), 0));
        assertTrue(transfers(h).isEmpty(), "a malformed chunk is dropped");
    }

    @Test
    void theFirstMemberGetsNoStateAtOnce() {
        StackHarness h = new StackHarness(new StateTransferLayer(true, null, 1000, 10), requestRecorder);
        View v = view(1, TEACHER);
        h.joined(TEACHER.id(), "Teacher", 1, v);
        assertTrue(requests.isEmpty());
        assertTrue(transfers(h).isEmpty(), "not before the join's view");
        h.up(new StackEvent.DeliverView(change(1, v, List.of(TEACHER), List.of(), List.of())));
        assertTrue(h.top.events.get(h.top.events.size() - 1) instanceof StackEvent.DeliverState, "right after it");
        StateTransfer t = transfers(h).get(0);
        assertNull(t.state());
        assertEquals("no state: no other member", t.note());
        h.up(seq(1, 1, 2));
        assertEquals(List.of("view 1", "Question 1/1"), h.top.lines, "then online");
    }

    @Test
    void holdingTooMuchFailsTheMember() {
        StackHarness h = joiner("Teacher", 10_000, 2);
        h.up(seq(1, 7, 11));
        h.up(seq(1, 8, 12));
        h.up(seq(1, 9, 13));
        assertEquals("failed state transfer: 2 deliveries waited for the state from tina",
                h.top.lines.get(h.top.lines.size() - 1));
    }

    @Test
    void theProviderCapturesAtTheRequestAndListsUnsequencedDeliveriesSinceTheJoin() {
        StackHarness h = new StackHarness(new StateTransferLayer());
        View v = view(5, TEACHER, ANN);
        h.joined(TEACHER.id(), "Teacher", 3, v);
        h.up(unseq(2, 1, 8));            // before joe's join at 10: not listed
        h.up(seq(2, 2, 10));
        h.up(unseq(2, 3, 10));           // after: listed
        h.up(unseq(3, 1, 11));
        h.up(new StackEvent.Deliver(new GroupMessage(JOE.id(), 1, Destination.member(TEACHER.id()),
                SystemTypes.STATE_REQUEST, StateChunks.request(1, 10), true, 0, 0, true, 0), 12));
        h.up(seq(2, 4, 13));
        StackEvent.CaptureState c = null;
        int at = -1;
        for (int i = 0; i < h.top.events.size(); i++) {
            if (h.top.events.get(i) instanceof StackEvent.CaptureState cs) {
                c = cs;
                at = i;
            }
        }
        assertEquals(JOE.id(), c.joiner());
        assertEquals(1, c.attempt());
        assertEquals(12, c.sequenceId());
        assertArrayEquals(new long[] {2, 3, 3, 1}, c.delivered());
        assertTrue(h.top.events.get(at + 1) instanceof StackEvent.Deliver d && d.sequenceId() == 13,
                "the capture is in its place among the deliveries");
        assertEquals(List.of("Play 2/1", "Question 2/2", "Play 2/3", "Play 3/1", "Question 2/4"), h.top.lines,
                "the request itself is not delivered");
    }

    @Test
    void aRequestToAMemberStillWaitingForItsOwnStateIsAnsweredAfterIt() {
        StackHarness h = joiner("Teacher", 10_000, 100);
        MemberInfo late = new MemberInfo(5, "lou", "Student");
        h.up(unseq(2, 3, 11));          // held: joe's provider had it (listed below)
        h.up(unseq(3, 4, 11));          // held: not in joe's state
        h.up(new StackEvent.Deliver(new GroupMessage(late.id(), 1, Destination.member(JOE.id()),
                SystemTypes.STATE_REQUEST, StateChunks.request(1, 11), true, 0, 0, true, 0), 12));
        assertTrue(h.top.events.stream().noneMatch(e -> e instanceof StackEvent.CaptureState),
                "joe's state is not complete yet: no capture");
        h.up(seq(1, 9, 13));
        h.up(state(TEACHER, StateChunks.reply(1, 12, new long[] {2, 3}, new byte[] {7}, 1000), 0));
        List<StackEvent> up = h.top.events;
        int s = -1;
        int c = -1;
        for (int i = 0; i < up.size(); i++) {
            if (up.get(i) instanceof StackEvent.DeliverState) {
                s = i;
            } else if (up.get(i) instanceof StackEvent.CaptureState) {
                c = i;
            }
        }
        assertTrue(s >= 0 && c > s, "the capture comes after joe's own state");
        assertTrue(up.get(c - 1) instanceof StackEvent.Deliver d && d.message().messageId() == 4,
                "and after the held message before it, at its place");
        StackEvent.CaptureState cs = (StackEvent.CaptureState) up.get(c);
        assertEquals(late.id(), cs.joiner());
        assertArrayEquals(new long[] {2, 3, 3, 4}, cs.delivered(),
                "lou is told both are in joe's state: one came in joe's own state, one was handed over");
        assertEquals(List.of("view 5", "Play 3/4", "Question 1/9"), h.top.lines);
    }

    @Test
    void malformedPayloadsAreClearErrors() {
        assertEquals("a state request has 16 bytes, not 3",
                assertThrows(IllegalArgumentException.class, () -> StateChunks.parseRequest(new byte[3])).getMessage());
        byte[] chunk = StateChunks.reply(1, 2, new long[0], new byte[10], 100).get(0);
        chunk[3] = 9;
        assertEquals("state transfer version 9 (this member speaks 1)",
                assertThrows(IllegalArgumentException.class, () -> StateChunks.parseChunk(chunk)).getMessage());
    }
}
