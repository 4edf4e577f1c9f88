package org.troupe.hosted;

import java.util.ArrayDeque;
import org.troupe.member.GroupListener;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/**
 * The inline listener the server joins a hosted member's group with: the member stack hands each
 * delivery to it on the thread that received it (one of the hosted connection's request threads,
 * never its reader: {@link org.troupe.member.Troupe#inlineOffReaders}), and it hands the delivery
 * on to the member's {@link HostedMemberServant}, which puts it in the member's outbox. No thread
 * of the member's own lies between the server's push and the outbox.
 *
 * <p>The group exists before its servant (the servant wraps the joined group), and the view of
 * the join is delivered before {@code join} returns: what comes before {@link #attach} waits
 * here, in order, up to the outbox's capacity, and goes first once the servant is attached; past
 * that capacity the member ends (its client is told).
 * Deliveries are one at a time (the stack's inline delivery serialises them).
 */
final class ServantListener implements GroupListener {
    /** The servant's side of a delivery. */
    interface Sink {
        void message(Received r);

        void view(ViewChange v);

        void closed(String reason);

        /** Deliveries were lost before the servant existed: the member must end, its client told why. */
        void lost(String reason);
    }

    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private Sink sink; // guarded by this
    private boolean overflowed; // guarded by this

    /** The servant exists: what waited goes to it, in order, and from now on each delivery as it comes. */
    void attach(Sink s) {
        synchronized (this) {
            while (!early.isEmpty()) {
                hand(s, early.poll());
            }
            sink = s;
            if (overflowed) {
                s.lost("more than " + Outbox.CAPACITY + " deliveries came before the member was set up");
            }
        }
    }

    @Override
    public void onMessage(Received message) {
        take(message);
    }

    @Override
    public void onView(ViewChange change) {
        take(change);
    }

    @Override
    public void onClosed(String reason) {
        take(new Closing(reason));
    }

    private void take(Object d) {
        Sink s;
        synchronized (this) {
            if (overflowed) {
                return; // the member ends: nothing after a lost delivery is handed on
            }
            s = sink;
            if (s == null) {
                if (early.size() < Outbox.CAPACITY) {
                    early.add(d);
                } else {
                    overflowed = true;
                }
                return;
            }
        }
        hand(s, d); // outside the lock: a full outbox makes the servant wait for its client
    }

    private static void hand(Sink s, Object d) {
        if (d instanceof Received r) {
            s.message(r);
        } else if (d instanceof ViewChange v) {
            s.view(v);
        } else if (d instanceof Closing c) {
            s.closed(c.reason());
        }
    }

    /** The member's end, as the stack reported it. */
    private record Closing(String reason) {
    }
}
