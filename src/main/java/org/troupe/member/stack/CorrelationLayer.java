package org.troupe.member.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.Received;
import org.troupe.member.model.View;

/**
 * Correlation (the message patterns' correlator): collects the responses to this member's
 * queries into their {@link QueryRecord}s, and completes each when its responses are all in
 * (against the current view, so {@code #Student} shrinks when a Student leaves or crashes) or its
 * timeout passes (the stack's clock, by {@link StackEvent.Tick}s: injected in
 * tests). That a response is never delivered before its query is the ordering layer's doing: a
 * response carries its query's sequence id in {@code after} and waits below for it.
 *
 * <p>A response to one of this member's queries that it does not know (asked before a restart)
 * is counted in {@link #unknown()}; one that arrives after its query completed is counted in the
 * query's {@link QueryRecord#late()}. Both are still delivered to the application as messages, as
 * at every other receiver. A query is registered as its {@link StackEvent.Send} passes down (one
 * that a layer below refuses is forgotten again); its completion goes up as a
 * {@link StackEvent.QueryDone} right after what completed it. Present only if the protocol has
 * queries (selective build).
 */
public final class CorrelationLayer extends Layer {
    /** Completed queries kept to count their late responses. */
    private static final int RECENT = 1024;

    private final Map<Long, QueryRecord> open = new HashMap<>();
    private final Map<Long, QueryRecord> recent = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, QueryRecord> eldest) {
            return size() > RECENT;
        }
    };
    private long me;
    private View view;
    private long now = Long.MIN_VALUE;
    private long unknown;

    /** Starts collecting responses for a query this member is sending. */
    private synchronized void register(QueryRecord q) {
        q.deferCallbacks();
        open.put(q.messageId(), q);
    }

    /** Forgets a query that could not be sent. */
    private synchronized void unregister(QueryRecord q) {
        open.remove(q.messageId());
    }

    /** A query on its way down is registered first; if it is refused below, it is forgotten. */
    @Override
    public void down(StackEvent e) {
        if (!(e instanceof StackEvent.Send s) || s.query() == null) {
            passDown(e);
            return;
        }
        register(s.query());
        try {
            passDown(e);
        } catch (RuntimeException ex) {
            unregister(s.query());
            throw ex;
        }
    }

    /** Queries still open. */
    public synchronized int openQueries() {
        return open.size();
    }

    /** Responses to queries of this member that it does not know. */
    public synchronized long unknown() {
        return unknown;
    }

    @Override
    public void up(StackEvent e) {
        List<QueryRecord> done = new ArrayList<>(0);
        if (e instanceof StackEvent.Joined j) {
            synchronized (this) {
                me = j.memberId();
                view = j.view();
            }
        } else if (e instanceof StackEvent.Deliver d && d.message().isResponse()
                && d.message().answersSource() == me) {
            collect(d.message(), d.sequenceId(), done);
        } else if (e instanceof StackEvent.DeliverView v) {
            synchronized (this) {
                view = v.change().view();
            }
            checkAll(done);
        } else if (e instanceof StackEvent.Tick t) {
            synchronized (this) {
                now = t.nanos();
            }
            checkAll(done);
        } else if (e instanceof StackEvent.Failed) {
            closeAll();
        }
        passUp(e);
        for (QueryRecord q : done) {
            passUp(new StackEvent.QueryDone(q)); // after what completed it: its listeners run in delivery order
        }
    }

    private void collect(GroupMessage m, long sequenceId, List<QueryRecord> done) {
        QueryRecord q;
        View v;
        synchronized (this) {
            v = view;
            q = open.get(m.answersMessageId());
            if (q == null) {
                q = recent.get(m.answersMessageId());
                if (q == null) {
                    unknown++;
                    return;
                }
            }
        }
        q.add(Received.of(m, sequenceId, v), v);
        check(q, v, done);
    }

    private void checkAll(List<QueryRecord> done) {
        List<QueryRecord> all;
        View v;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            v = view;
        }
        for (QueryRecord q : all) {
            check(q, v, done);
        }
    }

    private void check(QueryRecord q, View v, List<QueryRecord> done) {
        long t;
        synchronized (this) {
            t = now;
        }
        q.check(v, t);
        if (q.isDone()) {
            synchronized (this) {
                if (open.remove(q.messageId()) != null) {
                    recent.put(q.messageId(), q);
                    done.add(q);
                }
            }
        }
    }

    private void closeAll() {
        List<QueryRecord> all;
        View v;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
            v = view;
        }
        for (QueryRecord q : all) {
            q.close(v);
            q.runCallbacks(); // the member is out: no delivery side to run them
        }
    }

    @Override
    public void stop() {
        closeAll();
    }
}
