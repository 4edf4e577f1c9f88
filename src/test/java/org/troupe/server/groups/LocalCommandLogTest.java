package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One server's command path without an ORB: outcomes published in order under the group's lock,
 * and the flow gate holding sends back outside it, so that a leave (or the reaper) never waits
 * behind a sender that a full channel holds back.
 */
@Tag("unit")
class LocalCommandLogTest {

    /** A channel whose flow control the test opens and closes. */
    private static final class FakeFlow implements FlowGate.Flow {
        final AtomicBoolean open = new AtomicBoolean(true);
        final AtomicInteger timeouts = new AtomicInteger();
        final CountDownLatch waiting = new CountDownLatch(1);
        final long timeoutNanos;

        FakeFlow(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        public boolean open() {
            return open.get();
        }

        public boolean await(long maxNanos) throws InterruptedException {
            waiting.countDown();
            long deadline = System.nanoTime() + maxNanos;
            while (!open.get()) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(1);
            }
            return true;
        }

        public long timeoutNanos() {
            return timeoutNanos;
        }

        public void timedOut() {
            timeouts.incrementAndGet();
        }
    }

    @Test
    void aSendHeldBackByFlowControlDoesNotHoldBackALeave() throws Exception {
        GroupCore core = GroupCoreTest.classroomCore();
        List<String> published = new ArrayList<>();
        FakeFlow flow = new FakeFlow(TimeUnit.SECONDS.toNanos(30));
        LocalCommandLog log = new LocalCommandLog(core, (c, events) -> events.forEach(e -> published.add(
                e.getClass().getSimpleName())), new FlowGate(flow));
        Ticket tess = (Ticket) log.submit(new GroupCommand.Join("t", "Tess", "Teacher", false, "tt", 0), false).result();
        Ticket ann = (Ticket) log.submit(new GroupCommand.Join("a", "Ann", "Student", false, "at", 0), false).result();
        flow.open.set(false);
        CompletableFuture<Outcome> send = CompletableFuture.supplyAsync(() -> {
            try {
                return log.submit(new GroupCommand.Send(tess.member().id(), tess.token(), List.of(new Envelope(1, 0,
                        Address.group(), "Question", new byte[0], true, new Ref(0, 0), false, 0)), 0), true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(flow.waiting.await(10, TimeUnit.SECONDS), "the send waits for flow control");
        log.submit(new GroupCommand.Leave(ann.member().id(), ann.token(), 0), false); // does not wait
        assertFalse(send.isDone(), "still held back");
        assertEquals(1, log.read(GroupCore::view).members().size(), "Ann left while the send waited");
        flow.open.set(true);
        Outcome sent = send.get(10, TimeUnit.SECONDS);
        assertFalse(sent.refused());
        assertEquals(List.of("ViewInstalled", "ViewInstalled", "ViewInstalled", "Messages", "Orders"), published);
    }

    @Test
    void aSendGoesAheadWhenTheFlowTimeOutRunsOut() throws Exception {
        GroupCore core = GroupCoreTest.classroomCore();
        FakeFlow flow = new FakeFlow(TimeUnit.MILLISECONDS.toNanos(50));
        LocalCommandLog log = new LocalCommandLog(core, (c, events) -> { }, new FlowGate(flow));
        Ticket tess = (Ticket) log.submit(new GroupCommand.Join("t", "Tess", "Teacher", false, "tt", 0), false).result();
        flow.open.set(false);
        Outcome o = log.submit(new GroupCommand.Send(tess.member().id(), tess.token(), List.of(new Envelope(1, 0,
                Address.group(), "Question", new byte[0], true, new Ref(0, 0), false, 0)), 0), true);
        assertFalse(o.refused());
        assertEquals(1, flow.timeouts.get(), "counted");
        assertEquals(1, core.messagesSequenced());
    }
}
