package org.troupe.member.stack;

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
import org.troupe.member.model.QueryResult;
import org.troupe.member.model.Received;
import org.troupe.member.model.View;
import org.troupe.protocol.Step;

/**
 * The correlation layer's record of a query this member asked: the responses it collects, and
 * when it completes. It completes when every response type of its pattern has its {@code max}
 * (where {@code #Student} counts the Students in the current view, so one who leaves or crashes
 * no longer counts), when the pattern's timeout passes (on the stack's clock), or when the member
 * is out; a response after that is counted in {@link #late()}. Its completion listeners are the
 * completion callback: while a {@link CorrelationLayer} collects the record they wait for the
 * delivery side ({@link #runCallbacks}, when the application takes the {@link
 * StackEvent.QueryDone}), so that they never run before the response that completed the query
 * was handed over. The member API's {@code Query} wraps one. Thread-safe.
 */
public final class QueryRecord implements QueryResult {
    private static final Logger LOG = LoggerFactory.getLogger(QueryRecord.class);

    private final long messageId;
    private final String type;
    private final List<Step> steps;
    private final long deadlineNanos;
    private final List<Received> responses = new ArrayList<>();
    private final Set<Long> responders = new HashSet<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<Consumer<? super QueryRecord>> listeners = new ArrayList<>();
    private Outcome outcome = Outcome.OPEN;
    private List<MemberInfo> missing = List.of();
    private int late;
    private boolean deferred;
    private boolean callbacksRun;

    /**
     * A query of {@code type} with message id {@code messageId}, collecting responses of its
     * pattern's {@code steps} from {@code startedNanos} (the stack's clock).
     */
    public QueryRecord(long messageId, String type, List<Step> steps, long startedNanos) {
        this.messageId = messageId;
        this.type = type;
        this.steps = List.copyOf(steps);
        long longest = -1;
        for (Step s : steps) {
            if (s.timeout() != null) {
                longest = Math.max(longest, s.timeout().toNanos());
            }
        }
        this.deadlineNanos = longest < 0 ? Long.MAX_VALUE : startedNanos + longest;
    }

    @Override
    public long messageId() {
        return messageId;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public synchronized Outcome outcome() {
        return outcome;
    }

    @Override
    public synchronized boolean isDone() {
        return outcome != Outcome.OPEN;
    }

    @Override
    public synchronized List<Received> responses() {
        return List.copyOf(responses);
    }

    @Override
    public synchronized List<MemberInfo> responders() {
        List<MemberInfo> out = new ArrayList<>();
        for (Received r : responses) {
            if (!out.contains(r.sender())) {
                out.add(r.sender());
            }
        }
        return out;
    }

    @Override
    public synchronized List<MemberInfo> missing() {
        return missing;
    }

    @Override
    public synchronized int late() {
        return late;
    }

    /** Waits until the query completes, at most {@code timeout}; true if it has. */
    public boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code listener} when the query completes (at once if it has and its listeners ran).
     * While a correlation layer collects the record, listeners wait for {@link #runCallbacks}
     * (the delivery side); otherwise they run at completion, on the thread that completes it.
     */
    public void onDone(Consumer<? super QueryRecord> listener) {
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
    synchronized void deferCallbacks() {
        deferred = true;
    }

    /** Runs the completion listeners registered so far (once the query is done); later ones run at once. */
    public void runCallbacks() {
        List<Consumer<? super QueryRecord>> toCall;
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

    private void call(List<Consumer<? super QueryRecord>> toCall) {
        for (Consumer<? super QueryRecord> l : toCall) {
            try {
                l.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("query {} {}: a completion listener failed", type, messageId, e);
            }
        }
    }

    // --- driven by the CorrelationLayer ---

    /** A response arrived; true if it was added (false: late). */
    synchronized boolean add(Received r, View view) {
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
    void check(View view, long nowNanos) {
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
    void close(View view) {
        complete(Outcome.CLOSED, view);
    }

    private void complete(Outcome o, View view) {
        List<Consumer<? super QueryRecord>> toCall;
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

    @Override
    public synchronized String toString() {
        return "query " + type + "#" + messageId + " " + outcome + " (" + responses.size() + " responses)";
    }
}
