package org.troupe.member.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.stack.StackHarness.implied;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.View;
import org.troupe.protocol.ApplicationProtocol;

/** The correlator at the querier, with an injected clock (Ticks): completion, time-outs, #Student, late. */
@Tag("unit")
class CorrelationLayerTest {
    private static final ApplicationProtocol TT = TestProtocols.teleTeaching();
    private static final MemberInfo TESS = new MemberInfo(1, "Tess", "Teacher");
    private static final MemberInfo ANN = new MemberInfo(2, "Ann", "Student");
    private static final MemberInfo BOB = new MemberInfo(3, "Bob", "Student");
    private static final MemberInfo CY = new MemberInfo(4, "Cy", "Student");
    private static final long SECOND = 1_000_000_000L;

    private final CorrelationLayer correlation = new CorrelationLayer();
    private final StackHarness h = new StackHarness(correlation);
    private final View v1 = StackHarness.view(1, TESS, ANN, BOB, CY);

    private QueryRecord ask(long id) {
        QueryRecord q = new QueryRecord(id, "Question", TT.rule("Question").responses(), 0);
        h.stack.down(new StackEvent.Send(new GroupMessage(TESS.id(), id, Destination.group(), "Question", new byte[0],
                true, 0, 0), false, q)); // the correlation layer registers it on the way down
        return q;
    }

    private void answer(MemberInfo from, long id, long question) {
        h.up(new StackEvent.Deliver(implied(from.id(), id, "Answer", Destination.role("Teacher"), TESS.id(),
                question, 2), 2));
    }

    @Test
    void completesWhenEveryStudentInTheViewHasAnswered() {
        h.joined(TESS.id(), "Teacher", 1, v1);
        QueryRecord q = ask(1);
        answer(ANN, 1, 1);
        answer(BOB, 1, 1);
        assertFalse(q.isDone());
        answer(CY, 1, 1);
        assertEquals(QueryRecord.Outcome.COMPLETE, q.outcome());
        assertEquals(List.of(ANN, BOB, CY), q.responders());
        assertEquals(List.of(), q.missing());
        assertEquals(0, correlation.openQueries());
    }

    @Test
    void completionListenersWaitForTheDeliverySideAfterTheCompletingResponse() {
        h.joined(TESS.id(), "Teacher", 1, v1);
        QueryRecord q = ask(1);
        List<String> calls = new java.util.ArrayList<>();
        q.onDone(done -> calls.add("first " + done.outcome()));
        answer(ANN, 1, 1);
        answer(BOB, 1, 1);
        answer(CY, 1, 1);
        assertEquals(QueryRecord.Outcome.COMPLETE, q.outcome(), "complete at once (await() returns)");
        assertEquals(List.of(), calls, "listeners wait for the delivery side");
        int n = h.top.events.size();
        assertTrue(h.top.events.get(n - 2) instanceof StackEvent.Deliver d && d.message().source() == CY.id(),
                "the completing Answer goes up first");
        assertTrue(h.top.events.get(n - 1) instanceof StackEvent.QueryDone qd && qd.query() == q, "then the query's done");
        q.onDone(done -> calls.add("second"));
        q.runCallbacks(); // what the group's delivery thread does when it takes the QueryDone
        assertEquals(List.of("first COMPLETE", "second"), calls);
        q.onDone(done -> calls.add("third"));
        assertEquals("third", calls.get(2), "once they ran, a new listener runs at once");
    }

    @Test
    void timesOutOnTheInjectedClockWithWhatArrived() throws Exception {
        h.joined(TESS.id(), "Teacher", 1, v1);
        QueryRecord q = ask(1);
        answer(ANN, 1, 1);
        h.up(new StackEvent.Tick(59 * SECOND));
        assertFalse(q.isDone(), "60 s have not passed");
        h.up(new StackEvent.Tick(60 * SECOND));
        assertEquals(QueryRecord.Outcome.TIMED_OUT, q.outcome());
        assertTrue(q.await(Duration.ZERO));
        assertEquals(List.of(ANN), q.responders());
        assertEquals(List.of(BOB, CY), q.missing(), "who did not answer");
        assertTrue(h.top.events.stream().anyMatch(e -> e instanceof StackEvent.Tick), "ticks go on up (state transfer above uses them)");
    }

    @Test
    void aStudentWhoCrashesMidQuestionNoLongerCounts() {
        h.joined(TESS.id(), "Teacher", 1, v1);
        QueryRecord q = ask(1);
        answer(ANN, 1, 1);
        answer(BOB, 1, 1);
        assertFalse(q.isDone(), "#Student is 3");
        View v2 = StackHarness.view(2, TESS, ANN, BOB);
        h.up(new StackEvent.DeliverView(StackHarness.change(5, v2, List.of(), List.of(), List.of(CY))));
        assertEquals(QueryRecord.Outcome.COMPLETE, q.outcome(), "#Student is 2 now, and both answered");
    }

    @Test
    void aResponderWhoLeftIsNotCountedForHashStudent() {
        h.joined(TESS.id(), "Teacher", 1, v1);
        QueryRecord q = ask(1);
        answer(ANN, 1, 1);
        View v2 = StackHarness.view(2, TESS, BOB, CY);
        h.up(new StackEvent.DeliverView(StackHarness.change(5, v2, List.of(), List.of(ANN), List.of())));
        answer(BOB, 1, 1);
        assertFalse(q.isDone(), "Ann's answer does not count for the Students of the current view");
        answer(CY, 1, 1);
        assertEquals(QueryRecord.Outcome.COMPLETE, q.outcome());
        assertEquals(3, q.responses().size(), "but it is kept");
    }

    @Test
    void lateAndUnknownResponsesAreCountedAndStillDelivered() {
        h.joined(TESS.id(), "Teacher", 1, v1);
        QueryRecord q = ask(1);
        h.up(new StackEvent.Tick(61 * SECOND));
        assertEquals(QueryRecord.Outcome.TIMED_OUT, q.outcome());
        answer(ANN, 1, 1);
        assertEquals(1, q.late());
        assertEquals(0, q.responses().size());
        answer(BOB, 1, 77); // a query this Teacher does not know
        assertEquals(1, correlation.unknown());
        assertEquals(2, h.top.events.stream().filter(e -> e instanceof StackEvent.Deliver).count(),
                "both are still delivered as messages");
    }

    @Test
    void aQueryRefusedBelowIsForgotten() {
        FakeRefusingBottom bottom = new FakeRefusingBottom();
        CorrelationLayer c = new CorrelationLayer();
        ProtocolStack s = ProtocolStack.builder().add(bottom).add(c).add(new StackHarness.Recorder()).build();
        QueryRecord q = new QueryRecord(1, "Question", TT.rule("Question").responses(), 0);
        GroupMessage m = new GroupMessage(TESS.id(), 1, Destination.group(), "Question", new byte[0], true, 0, 0);
        assertThrows(StackRefusal.class, () -> s.down(new StackEvent.Send(m, true, q)));
        assertEquals(0, c.openQueries(), "nothing was sent: nothing to collect");
    }

    /** A bottom that refuses every message. */
    private static final class FakeRefusingBottom extends Layer {
        @Override
        public void down(StackEvent e) {
            throw new StackRefusal("refused");
        }
    }

    @Test
    void leavingClosesOpenQueries() {
        h.joined(TESS.id(), "Teacher", 1, v1);
        QueryRecord q = ask(1);
        h.up(new StackEvent.Failed("left"));
        assertEquals(QueryRecord.Outcome.CLOSED, q.outcome());
    }
}
