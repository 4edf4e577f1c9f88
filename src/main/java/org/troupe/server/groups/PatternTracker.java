package org.troupe.server.groups;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.Pattern;
import org.troupe.protocol.Step;
import org.troupe.protocol.TypeRule;

/**
 * The server's side of a group's message patterns (the correlation rules): the open
 * queries, which responses each may still take, and whose turn it is in each turn-based pattern.
 * It is the authority: a response to no open query, to a query that timed out or has all the
 * responses it admits, a second response of the same type from one member, and a turn out of
 * turn are refused here, with the reason, and the sender stays in the group. Called by the
 * group core, one command at a time.
 */
final class PatternTracker {
    /** At most this many queries are open per group; beyond it the oldest is closed. */
    static final int MAX_OPEN_QUERIES = 10_000;

    /** A refusal, with the reason for the sender. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** An out-of-turn message: the role whose turn it is. */
    static final class NotYourTurn extends Exception {
        final String expectedRole;

        NotYourTurn(String expectedRole, String reason) {
            super(reason);
            this.expectedRole = expectedRole;
        }
    }

    /** One open query: who asked, its place in the order, until when, and what it has collected. */
    static final class OpenQuery {
        final String type;
        final long querier;
        final long openedNanos;
        final long deadlineNanos; // Long.MAX_VALUE: no timeout
        long point; // its sequence id (or, unsequenced, its after); 0 until ordered
        final Map<String, Integer> counts = new LinkedHashMap<>();
        final Set<String> answered = new HashSet<>(); // "type/member"

        OpenQuery(String type, long querier, long openedNanos, long deadlineNanos) {
            this.type = type;
            this.querier = querier;
            this.openedNanos = openedNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final ApplicationProtocol protocol;
    private final Map<Ref, OpenQuery> open = new LinkedHashMap<>();
    private final List<Pattern.Turns> turnPatterns = new ArrayList<>();
    private final int[] turnPositions;
    private final long[] turnPoints;
    private long closedByLimit;

    PatternTracker(ApplicationProtocol protocol) {
        this.protocol = protocol;
        for (Pattern p : protocol.patterns()) {
            if (p instanceof Pattern.Turns t) {
                turnPatterns.add(t);
            }
        }
        turnPositions = new int[turnPatterns.size()];
        turnPoints = new long[turnPatterns.size()];
    }

    /** Per turn pattern, the next step (0-based). */
    int[] turnPositions() {
        return turnPositions.clone();
    }

    int openQueries() {
        return open.size();
    }

    /**
     * Opens a query for a published message of a type that collects responses; its deadline is
     * the longest timeout among its responses from {@code nowNanos}.
     */
    void opened(Ref ref, TypeRule rule, long querier, long nowNanos) {
        long longest = 0;
        boolean unbounded = false;
        for (Step s : rule.responses()) {
            if (s.timeout() == null) {
                unbounded = true;
            } else {
                longest = Math.max(longest, s.timeout().toNanos());
            }
        }
        open.put(ref, new OpenQuery(rule.type(), querier, nowNanos, unbounded ? Long.MAX_VALUE : nowNanos + longest));
        if (open.size() > MAX_OPEN_QUERIES) {
            Iterator<Ref> oldest = open.keySet().iterator();
            oldest.next();
            oldest.remove();
            closedByLimit++;
        }
    }

    /** A message got its place in the order (its sequence id); an open query learns it. */
    void placed(Ref ref, long point) {
        OpenQuery q = open.get(ref);
        if (q != null && q.point == 0) {
            q.point = point;
        }
    }

    /**
     * Checks a response of {@code rule} from {@code member} answering {@code answers}; on success,
     * counts it and returns its query (closed once every response type is full).
     */
    OpenQuery respond(TypeRule rule, Ref answers, long member, long nowNanos,
            ToIntFunction<String> membersInRole) throws Refused {
        OpenQuery q = open.get(answers);
        if (q == null) {
            throw new Refused("it answers " + answers.source() + "/" + answers.messageId()
                    + ", which is not an open query (never sent, not a query, or closed: complete or timed out)");
        }
        if (!rule.answers().contains(q.type)) {
            throw new Refused("a " + rule.type() + " answers " + String.join(" or ", rule.answers()) + ", not a "
                    + q.type);
        }
        Step step = stepFor(q.type, rule.type());
        if (step.timeout() != null && nowNanos - q.openedNanos > step.timeout().toNanos()) {
            throw new Refused("the " + q.type + " timed out (" + step.timeout().toMillis() + " ms) before this "
                    + rule.type());
        }
        if (q.point == 0) {
            throw new Refused("the " + q.type + " it answers has not been ordered yet");
        }
        if (!q.answered.add(rule.type() + "/" + member)) {
            throw new Refused("member " + member + " has answered this " + q.type + " with a " + rule.type()
                    + " already (one each)");
        }
        int max = step.max().resolve(membersInRole);
        int count = q.counts.getOrDefault(rule.type(), 0);
        if (count >= max) {
            q.answered.remove(rule.type() + "/" + member);
            throw new Refused("the " + q.type + " has all the " + rule.type() + "s it admits (max " + step.max()
                    + " = " + max + ")");
        }
        q.counts.put(rule.type(), count + 1);
        if (full(q, membersInRole)) {
            open.remove(answers);
        }
        return q;
    }

    /** True if some open query is past its deadline. */
    boolean anyExpired(long nowNanos) {
        for (OpenQuery q : open.values()) {
            if (q.deadlineNanos != Long.MAX_VALUE && nowNanos - q.deadlineNanos > 0) {
                return true;
            }
        }
        return false;
    }

    /** Closes queries past their deadline. */
    /** Closes the open queries past their time-out; returns how many. */
    int expire(long nowNanos) {
        int before = open.size();
        open.values().removeIf(q -> q.deadlineNanos != Long.MAX_VALUE && nowNanos - q.deadlineNanos > 0);
        return before - open.size();
    }

    /**
     * Checks a turn of {@code type} from a member in {@code role}; on success, advances the turn
     * and returns the pattern's index.
     */
    int turn(String type, String role) throws NotYourTurn {
        for (int p = 0; p < turnPatterns.size(); p++) {
            List<Step> steps = turnPatterns.get(p).turns();
            if (!steps.stream().anyMatch(s -> s.type().equals(type))) {
                continue;
            }
            Step next = steps.get(turnPositions[p]);
            if (next.type().equals(type) && (next.role() == null || next.role().equals(role))) {
                turnPositions[p] = (turnPositions[p] + 1) % steps.size();
                return p;
            }
            String expected = next.role() == null ? "any role" : next.role();
            throw new NotYourTurn(next.role() == null ? "" : next.role(), "out of turn: it is " + expected
                    + "'s turn to send a " + next.type() + " (turn " + (turnPositions[p] + 1) + " of " + steps.size()
                    + "), not " + role + "'s");
        }
        throw new IllegalStateException(type + " is in no turn pattern");
    }

    /** The place of the last turn of pattern {@code p}: the next turn is delivered after it. */
    long turnPoint(int p) {
        return turnPoints[p];
    }

    void turnPlaced(int p, long point) {
        turnPoints[p] = point;
    }

    private boolean full(OpenQuery q, ToIntFunction<String> membersInRole) {
        for (Step s : protocol.rule(q.type).responses()) {
            if (s.max().fixed() == org.troupe.protocol.RoleDef.UNBOUNDED && !s.max().isPerRole()) {
                return false;
            }
            if (q.counts.getOrDefault(s.type(), 0) < s.max().resolve(membersInRole)) {
                return false;
            }
        }
        return true;
    }

    private Step stepFor(String queryType, String responseType) {
        for (Step s : protocol.rule(queryType).responses()) {
            if (s.type().equals(responseType)) {
                return s;
            }
        }
        throw new IllegalStateException(responseType + " does not answer " + queryType);
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(closedByLimit);
        for (int i = 0; i < turnPositions.length; i++) {
            out.writeInt(turnPositions[i]);
            out.writeLong(turnPoints[i]);
        }
        out.writeInt(open.size());
        for (Map.Entry<Ref, OpenQuery> e : open.entrySet()) {
            CommandCodec.writeRef(out, e.getKey());
            OpenQuery q = e.getValue();
            out.writeUTF(q.type);
            out.writeLong(q.querier);
            out.writeLong(q.openedNanos);
            out.writeLong(q.deadlineNanos);
            out.writeLong(q.point);
            out.writeInt(q.counts.size());
            for (Map.Entry<String, Integer> c : q.counts.entrySet()) {
                out.writeUTF(c.getKey());
                out.writeInt(c.getValue());
            }
            List<String> answered = new ArrayList<>(q.answered);
            java.util.Collections.sort(answered);
            out.writeInt(answered.size());
            for (String a : answered) {
                out.writeUTF(a);
            }
        }
    }

    void read(DataInput in) throws IOException {
        closedByLimit = in.readLong();
        for (int i = 0; i < turnPositions.length; i++) {
            turnPositions[i] = in.readInt();
            turnPoints[i] = in.readLong();
        }
        open.clear();
        for (int i = CommandCodec.count(in); i > 0; i--) {
            Ref ref = CommandCodec.readRef(in);
            OpenQuery q = new OpenQuery(in.readUTF(), in.readLong(), in.readLong(), in.readLong());
            q.point = in.readLong();
            for (int k = CommandCodec.count(in); k > 0; k--) {
                q.counts.put(in.readUTF(), in.readInt());
            }
            for (int k = CommandCodec.count(in); k > 0; k--) {
                q.answered.add(in.readUTF());
            }
            open.put(ref, q);
        }
    }
}
