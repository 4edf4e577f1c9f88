package org.troupe.member.stack;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The group's sequencer, when this member holds it (it volunteered, and is the oldest volunteer). Every member that
 * volunteers keeps, in channel order, the messages published but not yet ordered; the one the
 * view names as holder sends their order down (the manager numbers, checks and publishes it).
 * Every view is a flush point (the manager orders what is left just before it), and the manager
 * skips an order for a message already ordered, so a take-over, a late order and a retried call
 * are all harmless: nothing is lost or ordered twice.
 */
public final class SequencerLayer extends Layer {
    private record Ref(long source, long messageId) {
    }

    private final Set<Ref> waiting = new LinkedHashSet<>();
    private long me;
    private boolean holder;
    private long ordersSent;

    /** True while this member holds the group's sequencer. */
    public boolean holder() {
        return holder;
    }

    /** Orders this member has sent as the holder. */
    public long ordersSent() {
        return ordersSent;
    }

    @Override
    public void up(StackEvent e) {
        if (e instanceof StackEvent.Joined j) {
            me = j.memberId();
            passUp(e);
            // holding starts at the UpdateView that names this member, in channel order (its
            // own join's view, if it is the first volunteer): not here, ahead of the stream
        } else if (e instanceof StackEvent.MessageArrived a && !a.message().sequenced()) {
            passUp(e); // implied order (a response, a turn): nothing for the sequencer to do
        } else if (e instanceof StackEvent.MessageArrived a) {
            Ref r = new Ref(a.message().source(), a.message().messageId());
            if (holder) {
                order(r);
            } else {
                waiting.add(r);
            }
            passUp(e);
        } else if (e instanceof StackEvent.OrderArrived o) {
            waiting.remove(new Ref(o.source(), o.messageId()));
            passUp(e);
        } else if (e instanceof StackEvent.ViewArrived v) {
            passUp(e);
            becomeHolderIf(v.change().view().sequencer() == me);
        } else {
            passUp(e);
        }
    }

    private void becomeHolderIf(boolean named) {
        if (named && !holder) {
            holder = true;
            for (Ref r : List.copyOf(waiting)) {
                order(r);
            }
            waiting.clear();
        } else if (!named) {
            holder = false;
        }
    }

    private void order(Ref r) {
        ordersSent++;
        passDown(new StackEvent.Order(r.source(), r.messageId()));
    }
}
