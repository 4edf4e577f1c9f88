package org.troupe.member;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.View;
import org.troupe.protocol.Step;

/**
 * A query this member asked ({@link Group#ask}), collecting its responses (seed 002
 * "Correlator"). It completes when every response type of its pattern has its {@code max}
 * (where {@code #Student} counts the Students in the current view, so one who leaves or crashes
 * no longer counts), or when the pattern's timeout passes, with what arrived. A response that
 * arrives after completion is counted in {@link #late()} and not added (it is still delivered to
 * the application as a message, like at every other receiver). Thread-safe; completion happens
 * on the member's stack thread.
 */
public final class Query {
    private static final Logger LOG = LoggerFactory.getLogger(Query.class);

    /** Where a query stands. */
    public enum Outcome {
        /** Still collecting. */
        OPEN,
        /** Every response type has its max. */
        COMPLETE,
        /** The timeout passed first. */
        TIMED_OUT,
        /** The member left the group (or was removed) first. */
        CLOSED
    }

    private final long messageId;
    private final String type;
    private final List<Step> steps;
    private final long startedNanos;
    private final long deadlineNanos;
    private final List<Received> responses = new ArrayList<>();
    private final Set<Long> responders = new HashSet<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<Consumer<Query>> listeners = new ArrayList<>();
    private Outcome outcome = Outcome.OPEN;
    private List<MemberInfo> missing = List.of();
    private int late;
    private boolean deferred;
    private boolean callbacksRun;

    /**
     * A query of {@code type} with message id {@code messageId}, collecting responses of its
     * pattern's {@code steps} from {@code startedNanos} (the stack's clock). Made by {@link
     * Group#ask}; public for stacks assembled by hand and for tests.
     */
    public Query(long messageId, String type, List<Step> steps, long startedNanos) {
        this.messageId = messageId;
        this.type = type;
        this.steps = List.copyOf(steps);
        this.startedNanos = startedNanos;
        long longest = -1;
        for (Step s : steps) {
            if (s.timeout() != null) {
                longest = Math.max(longest, s.timeout().toNanos());
            }
        }
        this.deadlineNanos = longest < 0 ? Long.MAX_VALUE : startedNanos + longest;
    }

    /** The query's message id (the querier is this member). */
    public long messageId() {
        return messageId;
    }

    /** The query's message type. */
    public String type() {
        return type;
    }

    public synchronized Outcome outcome() {
        return outcome;
    }

    public synchronized boolean isDone() {
        return outcome != Outcome.OPEN;
    }

    /** The responses so far (or at completion), in delivery order. */
    public synchronized List<Received> responses() {
        return List.copyOf(responses);
    }

    /** The members that responded. */
    public synchronized List<MemberInfo> responders() {
        List<MemberInfo> out = new ArrayList<>();
        for (Received r : responses) {
            if (!out.contains(r.sender())) {
                out.add(r.sender());
            }
        }
        return out;
    }

    /**
     * At completion: the members of the responding roles, in the view of that moment, that did
     * not respond. Empty while open.
     */
    public synchronized List<MemberInfo> missing() {
        return missing;
    }

    /** Responses that arrived after completion: counted, not added. */
    public synchronized int late() {
        return late;
    }

    /** Waits until the query completes, at most {@code timeout}; true if it has. */
    public boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code listener} when the query completes (at once if it has and its listeners ran).
     * For a query asked through a {@link Group}, listeners run on the delivery side, in order:
     * on the listener's thread, or inside {@code receive()} for pull delivery, right after the
     * response that completed the query was handed over (never before it).
     */
    public void onDone(Consumer<Query> listener) {
        synchronized (this) {
            if (outcome == Outcome.OPEN || (deferred && !callbacksRun)) {
                listeners.add(listener);
                return;
            }
        }
        listener.accept(this);
    }

    /**
     * Completion listeners wait for {@link #runCallbacks} instead of running on the stack's
     * thread at completion (set by the correlation layer that collects this query).
     */
    public synchronized void deferCallbacks() {
        deferred = true;
    }

    /** Runs the completion listeners registered so far (once the query is done); later ones run at once. */
    public void runCallbacks() {
        List<Consumer<Query>> toCall;
        synchronized (this) {
            if (outcome == Outcome.OPEN) {
                return;
            }
            callbacksRun = true;
            toCall = new ArrayList<>(listeners);
            listeners.clear();
        }
        call(toCall);
    }

    private void call(List<Consumer<Query>> toCall) {
        for (Consumer<Query> l : toCall) {
            try {
                l.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("query {} {}: a completion listener failed", type, messageId, e);
            }
        }
    }

    // --- driven by the CorrelationLayer, on the stack's thread ---

    /** A response arrived; true if it was added (false: late). */
    public synchronized boolean add(Received r, View view) {
        if (outcome != Outcome.OPEN) {
            late++;
            return false;
        }
        responses.add(r);
        responders.add(r.sender().id());
        return true;
    }

    /**
     * Completes the query if its responses are all in (against {@code view}) or its time is up
     * ({@code nowNanos} on the stack's clock; {@code Long.MIN_VALUE}: no time yet).
     */
    public void check(View view, long nowNanos) {
        Outcome o = null;
        synchronized (this) {
            if (outcome != Outcome.OPEN) {
                return;
            }
            if (full(view)) {
                o = Outcome.COMPLETE;
            } else if (deadlineNanos != Long.MAX_VALUE && nowNanos != Long.MIN_VALUE && nowNanos - deadlineNanos >= 0) {
                o = Outcome.TIMED_OUT;
            }
        }
        if (o != null) {
            complete(o, view);
        }
    }

    /** Closes the query (the member is out). */
    public void close(View view) {
        complete(Outcome.CLOSED, view);
    }

    private void complete(Outcome o, View view) {
        List<Consumer<Query>> toCall;
        synchronized (this) {
            if (outcome != Outcome.OPEN) {
                return;
            }
            outcome = o;
            missing = missingIn(view);
            if (deferred) {
                toCall = List.of(); // runCallbacks, on the delivery side
            } else {
                callbacksRun = true;
                toCall = new ArrayList<>(listeners);
                listeners.clear();
            }
        }
        done.countDown();
        call(toCall);
    }

    private boolean full(View view) {
        for (Step s : steps) {
            int max = s.max().resolve(view::count);
            if (max == org.troupe.protocol.RoleDef.UNBOUNDED) {
                return false;
            }
            int have = 0;
            for (Received r : responses) {
                // #Role counts the members in the current view: a responder who left no longer counts
                if (r.type().equals(s.type()) && (!s.max().isPerRole() || view.member(r.sender().id()) != null)) {
                    have++;
                }
            }
            if (have < max) {
                return false;
            }
        }
        return true;
    }

    private List<MemberInfo> missingIn(View view) {
        if (view == null) {
            return List.of();
        }
        List<MemberInfo> out = new ArrayList<>();
        for (MemberInfo m : view.members()) {
            if (responders.contains(m.id())) {
                continue;
            }
            for (Step s : steps) {
                if (s.role() != null && s.role().equals(m.role())) {
                    out.add(m);
                    break;
                }
            }
        }
        return out;
    }

    /** When the query started (the stack's clock), for tests and logs. */
    long startedNanos() {
        return startedNanos;
    }

    @Override
    public synchronized String toString() {
        return "query " + type + "#" + messageId + " " + outcome + " (" + responses.size() + " responses)";
    }
}
