package org.troupe.member;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.QueryResult;
import org.troupe.member.model.Received;
import org.troupe.member.stack.QueryRecord;

/**
 * A query this member asked ({@link Group#ask}), collecting its responses (the correlator of the
 * tele-teaching protocol's message patterns). It completes when every response type of its
 * pattern has its {@code max} (where {@code #Student} counts the Students in the current view,
 * so one who leaves or crashes no longer counts), or when the pattern's timeout passes, with what
 * arrived. A response that arrives after completion is counted in {@link #late()} and not added
 * (it is still delivered to the application as a message, like at every other receiver).
 * Thread-safe; the member's correlation layer completes it, and its completion listeners run on
 * the delivery side (see {@link #onDone}).
 */
public final class Query implements QueryResult {
    private final QueryRecord record;

    Query(QueryRecord record) {
        this.record = record;
    }

    /** The stack's record of this query, which the correlation layer fills. */
    QueryRecord record() {
        return record;
    }

    @Override
    public long messageId() {
        return record.messageId();
    }

    @Override
    public String type() {
        return record.type();
    }

    @Override
    public Outcome outcome() {
        return record.outcome();
    }

    @Override
    public boolean isDone() {
        return record.isDone();
    }

    @Override
    public List<Received> responses() {
        return record.responses();
    }

    @Override
    public List<MemberInfo> responders() {
        return record.responders();
    }

    @Override
    public List<MemberInfo> missing() {
        return record.missing();
    }

    @Override
    public int late() {
        return record.late();
    }

    /** Waits until the query completes, at most {@code timeout}; true if it has. */
    public boolean await(Duration timeout) throws InterruptedException {
        return record.await(timeout);
    }

    /**
     * Runs {@code listener} when the query completes (at once if it has and its listeners ran).
     * Listeners run on the delivery side, in order: on the listener's thread, or inside {@code
     * receive()} for pull delivery, right after the response that completed the query was handed
     * over (never before it).
     */
    public void onDone(Consumer<Query> listener) {
        record.onDone(r -> listener.accept(this));
    }

    @Override
    public String toString() {
        return record.toString();
    }
}
