package org.troupe.member.stack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.StateTransfer;
import org.troupe.member.model.View;
import org.troupe.protocol.SystemTypes;

/**
 * Group state transfer, just below the delivery queue. The joiner's requests go up to the
 * application side ({@link StackEvent.RequestState}), which sends them as its next message.
 *
 * <pre>
 *  joiner J                              provider P (oldest earlier member, of the asked role)
 *  join view V ------------------------&gt; (P delivers V too)
 *  STATE_REQUEST(attempt, V) --seq Q---&gt; delivered at Q: CaptureState up to the queue; the
 *  holds every delivery after V            application's thread runs the StateProvider there
 *                                          (state = everything delivered before Q)
 *  STATE chunks (attempt, Q) &lt;---------- sent to J only
 *  delivers StateTransfer, then the held deliveries minus what the state includes:
 *  sequenced messages up to Q, and the unsequenced ones P had delivered (listed in the reply)
 * </pre>
 *
 * A candidate that has no provider answers "none" at once; one that leaves the view, or does not
 * answer within the time-out, is skipped: J asks the next, at a new place in the order. With no
 * candidate left, J gets a {@link StateTransfer} without state and every held delivery. Views are
 * held too and delivered, in order, after the state. A state request that reaches a member still
 * waiting for its own is held with the rest and answered at its place once that state is in (the
 * member has no complete state before). The hold-back is bounded; past it the member fails. As
 * provider side, the layer remembers the last {@value #RECENT} unsequenced messages that became
 * part of the application's state (their place and reference) to tell a joiner what its state
 * includes. Replies not asked for,
 * or from another than the member asked, are dropped.
 */
public final class StateTransferLayer extends Layer {
    private static final Logger LOG = LoggerFactory.getLogger(StateTransferLayer.class);
    static final int RECENT = 10_000;

    private enum Phase { OFF, WAITING, DONE }

    private final String fromRole;
    private final long timeoutNanos;
    private final int holdLimit;

    private Phase phase;
    private long me;
    private long joinSequenceId;
    private View view;
    private final List<MemberInfo> candidates = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private MemberInfo provider;
    private boolean alone;
    private int attempt;
    private long now;
    private long deadline;
    private final TreeMap<Integer, byte[]> chunks = new TreeMap<>();
    private final ArrayDeque<StackEvent> held = new ArrayDeque<>();
    private final Set<Ref> included = new HashSet<>();
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();

    private record Ref(long source, long messageId) {
    }

    /**
     * @param request whether this member asks for the state when it joins
     * @param fromRole the role whose members are asked (oldest first), or null for any
     * @param timeoutMillis how long one candidate may take to answer
     * @param holdLimit the most deliveries held while waiting
     */
    public StateTransferLayer(boolean request, String fromRole, long timeoutMillis, int holdLimit) {
        this.phase = request ? Phase.WAITING : Phase.OFF;
        this.fromRole = fromRole;
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.holdLimit = holdLimit;
    }

    /** A member that provides state when asked but asks for none. */
    public StateTransferLayer() {
        this(false, null, 1, 1);
    }

    @Override
    public synchronized void up(StackEvent e) {
        if (e instanceof StackEvent.Joined j) {
            me = j.memberId();
            joinSequenceId = j.viewSequenceId();
            view = j.view();
            passUp(e);
            if (phase == Phase.WAITING) {
                start(j.view());
            }
        } else if (e instanceof StackEvent.Deliver d) {
            finishAlone();
            deliver(d);
        } else if (e instanceof StackEvent.DeliverView v) {
            view = v.change().view();
            if (v.change().sequenceId() <= joinSequenceId) {
                passUp(e); // the join's view comes first
                finishAlone();
                return;
            }
            finishAlone();
            if (phase == Phase.WAITING) {
                hold(e);
                if (provider != null && view.member(provider.id()) == null) {
                    notes.add(provider.name() + " left before answering");
                    next();
                }
            } else {
                passUp(e);
            }
        } else if (e instanceof StackEvent.Tick t) {
            now = t.nanos();
            if (phase == Phase.WAITING && provider != null) {
                if (deadline == 0) {
                    deadline = now + timeoutNanos;
                } else if (now - deadline >= 0) {
                    notes.add(provider.name() + " did not answer within " + timeoutNanos / 1_000_000 + " ms");
                    next();
                }
            }
            // ticks stop here
        } else if (e instanceof StackEvent.QueryDone && phase == Phase.WAITING) {
            hold(e); // after the held response that completed it
        } else {
            passUp(e);
        }
    }

    private void deliver(StackEvent.Deliver d) {
        GroupMessage m = d.message();
        if (SystemTypes.STATE.equals(m.type())) {
            received(m);
        } else if (phase == Phase.WAITING) {
            hold(d); // a state request too: this member's state is not complete before its own arrives
        } else if (SystemTypes.STATE_REQUEST.equals(m.type())) {
            captureFor(m, d.sequenceId());
        } else if (m.sequenced() || included.isEmpty() || !included.remove(new Ref(m.source(), m.messageId()))) {
            applied(d);
            passUp(d);
        } else {
            applied(d); // in this member's state already: in the state it gives too
        }
    }

    /**
     * Notes an unsequenced message that is now part of the application's state (handed over, or
     * in the state this member received): a state it provides later includes it.
     */
    private void applied(StackEvent.Deliver d) {
        GroupMessage m = d.message();
        if (!m.sequenced()) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(new long[] {d.sequenceId(), m.source(), m.messageId()});
        }
    }

    /** Provider side: a joiner asks; the application's thread captures the state at this place. */
    private void captureFor(GroupMessage m, long sequenceId) {
        StateChunks.Request r;
        try {
            r = StateChunks.parseRequest(m.payload());
        } catch (IllegalArgumentException ex) {
            LOG.warn("member {}: bad state request from member {} dropped: {}", me, m.source(), ex.getMessage());
            return;
        }
        List<Long> refs = new ArrayList<>();
        for (long[] x : recent) {
            if (x[0] >= r.joinSequenceId()) {
                refs.add(x[1]);
                refs.add(x[2]);
            }
        }
        long[] delivered = new long[refs.size()];
        for (int i = 0; i < delivered.length; i++) {
            delivered[i] = refs.get(i);
        }
        passUp(new StackEvent.CaptureState(m.source(), r.attempt(), sequenceId, delivered));
    }

    /** Joiner side: the members to ask, oldest first, and the first request. */
    private void start(View joinView) {
        for (MemberInfo m : joinView.members()) {
            if (m.id() == me) {
                break; // members are in join order: only those before this member have a state
            }
            if (fromRole == null || fromRole.equals(m.role())) {
                candidates.add(m);
            }
        }
        if (candidates.isEmpty()) {
            notes.add(fromRole == null ? "no other member" : "no member in role " + fromRole);
            alone = true; // told after the join's view, which the application sees first
            return;
        }
        next();
    }

    /** A joiner with no one to ask: it is told so, after its join's view. */
    private void finishAlone() {
        if (alone) {
            alone = false;
            next();
        }
    }

    private void next() {
        chunks.clear();
        deadline = 0;
        while (!candidates.isEmpty()) {
            MemberInfo c = candidates.remove(0);
            if (view.member(c.id()) == null) {
                continue; // left since the join
            }
            provider = c;
            attempt++;
            LOG.debug("member {}: asking {} for the group's state (attempt {})", me, c.name(), attempt);
            passUp(new StackEvent.RequestState(c.id(), StateChunks.request(attempt, joinSequenceId)));
            return;
        }
        provider = null;
        finish(null, 0, null, new long[0], "no state: " + String.join("; ", notes));
    }

    private void received(GroupMessage m) {
        StateChunks.Chunk c;
        try {
            c = StateChunks.parseChunk(m.payload());
        } catch (IllegalArgumentException ex) {
            LOG.warn("member {}: bad state chunk from member {} dropped: {}", me, m.source(), ex.getMessage());
            return;
        }
        if (phase != Phase.WAITING || provider == null || m.source() != provider.id() || c.attempt() != attempt) {
            LOG.debug("member {}: state chunk from member {} (attempt {}) not asked for; dropped", me, m.source(),
                    c.attempt());
            return;
        }
        if (!c.available()) {
            notes.add(provider.name() + ": " + new String(c.data(), StandardCharsets.UTF_8));
            next();
            return;
        }
        chunks.put(c.index(), c.data());
        if (chunks.size() < c.count()) {
            return;
        }
        StateChunks.Assembled a;
        try {
            a = StateChunks.assemble(new ArrayList<>(chunks.values()));
        } catch (IllegalArgumentException ex) {
            notes.add(provider.name() + " sent a bad state (" + ex.getMessage() + ")");
            next();
            return;
        }
        finish(a.state(), c.sequenceId(), provider, a.delivered(), "state from " + provider.name() + " at "
                + c.sequenceId() + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
    }

    /** Delivers the state (or its absence), then what was held and the state does not include. */
    private void finish(byte[] state, long sequenceId, MemberInfo from, long[] delivered, String note) {
        phase = Phase.DONE;
        chunks.clear();
        for (int i = 0; i + 1 < delivered.length; i += 2) {
            included.add(new Ref(delivered[i], delivered[i + 1]));
        }
        LOG.debug("member {}: {}", me, note);
        passUp(new StackEvent.DeliverState(new StateTransfer(state, from, sequenceId, note)));
        for (Iterator<StackEvent> it = held.iterator(); it.hasNext();) {
            StackEvent e = it.next();
            it.remove();
            if (e instanceof StackEvent.Deliver d) {
                GroupMessage m = d.message();
                if (SystemTypes.STATE_REQUEST.equals(m.type())) {
                    captureFor(m, d.sequenceId()); // held: answered at its place, now that the state is in
                    continue;
                }
                boolean inState = m.sequenced() ? d.sequenceId() <= sequenceId
                        : included.remove(new Ref(m.source(), m.messageId()));
                applied(d);
                if (inState) {
                    continue;
                }
            }
            passUp(e);
        }
    }

    private void hold(StackEvent e) {
        if (held.size() >= holdLimit) {
            phase = Phase.DONE;
            held.clear();
            passUp(new StackEvent.Failed("state transfer: " + holdLimit + " deliveries waited for the state"
                    + (provider == null ? "" : " from " + provider.name())));
            return;
        }
        held.addLast(e);
    }

    /** True while this member waits for its state. */
    public synchronized boolean waiting() {
        return phase == Phase.WAITING;
    }
}
