package org.troupe.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/** The hosted member's inline listener: what comes before its servant waits, in order, and is bounded. */
@Tag("unit")
class ServantListenerTest {
    /** Records what the servant would be handed. */
    private static final class Seen implements ServantListener.Sink {
        final List<String> got = new ArrayList<>();

        @Override
        public void message(Received r) {
            got.add("m" + r.sequenceId());
        }

        @Override
        public void view(ViewChange v) {
            got.add("v" + v.sequenceId());
        }

        @Override
        public void closed(String reason) {
            got.add("closed: " + reason);
        }

        @Override
        public void lost(String reason) {
            got.add("lost: " + reason);
        }
    }

    private static Received message(long seq) {
        return new Received(null, seq, null);
    }

    private static ViewChange view(long seq) {
        return new ViewChange(seq, null, List.of(), List.of(), List.of());
    }

    @Test
    void whatComesBeforeTheServantGoesFirstInOrderThenEachAsItComes() {
        ServantListener l = new ServantListener();
        l.onView(view(1));
        l.onMessage(message(2));
        Seen s = new Seen();
        assertEquals(List.of(), s.got);
        l.attach(s);
        assertEquals(List.of("v1", "m2"), s.got);
        l.onMessage(message(3));
        l.onClosed("left group g");
        assertEquals(List.of("v1", "m2", "m3", "closed: left group g"), s.got);
    }

    @Test
    void moreThanAnOutboxBeforeTheServantEndsTheMember() {
        ServantListener l = new ServantListener();
        for (int i = 1; i <= Outbox.CAPACITY + 3; i++) {
            l.onMessage(message(i));
        }
        Seen s = new Seen();
        l.attach(s);
        l.onMessage(message(Outbox.CAPACITY + 4));
        assertEquals(Outbox.CAPACITY + 1, s.got.size(), "what fitted, then the end, then nothing");
        assertEquals("m" + Outbox.CAPACITY, s.got.get(Outbox.CAPACITY - 1));
        assertEquals("lost: more than " + Outbox.CAPACITY + " deliveries came before the member was set up",
                s.got.get(Outbox.CAPACITY));
    }
}
