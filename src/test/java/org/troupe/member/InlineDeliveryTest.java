package org.troupe.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.stack.Handoff;

@Tag("unit")
class InlineDeliveryTest {
    private static final MemberInfo TESS = new MemberInfo(1, "tess", "Teacher");

    private static Received message(long id) {
        return new Received(new GroupMessage(1, id, Destination.group(), "Formula", new byte[] {(byte) id}, false, 0, 0,
                true, 0), id, TESS);
    }

    private static final class Recorder implements GroupListener {
        final List<String> seen = new ArrayList<>();
        Runnable onFirst = () -> { };

        @Override
        public void onMessage(Received m) {
            seen.add("m" + m.message().messageId());
            Runnable r = onFirst;
            onFirst = () -> { };
            r.run();
        }

        @Override
        public void onClosed(String reason) {
            seen.add("closed " + reason);
        }
    }

    private static Receiver receiver(Handoff h) {
        return new Receiver("g", h, new StateCapture("g", null, 1 << 20, null));
    }

    @Test
    void whatCameBeforeTheHandleGoesFirstThenEachDeliveryAtOnceAndNothingAfterTheEnd() {
        Recorder r = new Recorder();
        InlineDelivery inline = new InlineDelivery(r, 2);
        assertTrue(inline.test(message(1)));
        assertTrue(inline.test(message(2)));
        assertFalse(inline.test(message(3)), "no room before the handle exists: the stack is told, as by a full queue");
        assertEquals(List.of(), r.seen, "nobody to deliver to yet");
        inline.bind(receiver(new Handoff(4, inline)));
        assertEquals(List.of("m1", "m2"), r.seen);
        assertTrue(inline.test(message(3)));
        assertEquals(List.of("m1", "m2", "m3"), r.seen, "delivered on the caller's thread before test returned");
        assertTrue(inline.test(new Handoff.Closed("left")));
        assertTrue(inline.test(message(4)));
        assertEquals(List.of("m1", "m2", "m3", "closed left"), r.seen);
    }

    @Test
    void aDeliveryMadeFromInsideTheListenerFollowsItInsteadOfNestingInIt() {
        Recorder r = new Recorder();
        InlineDelivery inline = new InlineDelivery(r, 8);
        Handoff h = new Handoff(8, inline);
        inline.bind(receiver(h));
        r.onFirst = () -> {
            inline.test(new Handoff.Closed("the listener closed it")); // the end comes while onMessage runs
            r.seen.add("listener returns");
        };
        inline.test(message(1));
        assertEquals(List.of("m1", "listener returns", "closed the listener closed it"), r.seen);
        assertTrue(h.deliveries().isEmpty(), "nothing queued: deliveries go inline");
    }

    @Test
    void aDeliveryWhileTheListenerRunsElsewhereIsNotHeldAndFollowsOnThatThread() throws Exception {
        java.util.concurrent.CountDownLatch inListener = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        GroupListener slow = new GroupListener() {
            @Override
            public void onMessage(Received m) {
                seen.add("m" + m.message().messageId() + " on " + Thread.currentThread().getName());
                if (m.message().messageId() == 1) {
                    inListener.countDown();
                    try {
                        release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        InlineDelivery inline = new InlineDelivery(slow, 8);
        inline.test(message(1)); // before the handle exists
        Thread joiner = new Thread(() -> inline.bind(receiver(new Handoff(8, inline))), "joiner");
        joiner.start();
        assertTrue(inListener.await(20, java.util.concurrent.TimeUnit.SECONDS));
        // the stack's thread delivers while the joiner runs the listener: it must not wait for it
        java.util.concurrent.CompletableFuture<Boolean> offered =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> inline.test(message(2)));
        assertTrue(offered.get(20, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, seen.size(), "message 2 waits for message 1's listener to return");
        release.countDown();
        joiner.join(20_000);
        assertEquals(List.of("m1 on joiner", "m2 on joiner"), seen);
    }
}
