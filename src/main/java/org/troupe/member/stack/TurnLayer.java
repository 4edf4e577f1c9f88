package org.troupe.member.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.Turn;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.Pattern;
import org.troupe.protocol.Step;

/**
 * Turn-based sequences (a protocol's turn patterns, like the card game's Play): follows whose turn
 * it is in each turn-based pattern from the turns delivered (starting from the positions of the
 * join's view), refuses a turn sent out of turn before it leaves the member, with a clear error,
 * and counts rounds (a round completes when every step has been delivered). The next turns go up
 * as {@link StackEvent.NextTurns} after the join and after each turn. The server checks
 * turns too and is the authority; turns skip the sequencer because their order is implied.
 * Present only if the protocol has turn-based patterns (selective build).
 */
public final class TurnLayer extends Layer {
    private static final Logger LOG = LoggerFactory.getLogger(TurnLayer.class);

    private final List<List<Step>> patterns = new ArrayList<>();
    private final int[] positions;
    private final long[] rounds;
    private String role = "";

    public TurnLayer(ApplicationProtocol protocol) {
        for (Pattern p : protocol.patterns()) {
            if (p instanceof Pattern.Turns t) {
                patterns.add(t.turns());
            }
        }
        positions = new int[patterns.size()];
        rounds = new long[patterns.size()];
    }

    /** The next turn of the first turn-based pattern with {@code type}, or null if none has it. */
    public synchronized Turn next(String type) {
        int p = patternOf(type);
        return p < 0 ? null : turn(p);
    }

    /** The next turn of every turn-based pattern, in protocol order. */
    public synchronized List<Turn> next() {
        List<Turn> out = new ArrayList<>();
        for (int p = 0; p < patterns.size(); p++) {
            out.add(turn(p));
        }
        return out;
    }

    @Override
    public void up(StackEvent e) {
        if (e instanceof StackEvent.Joined j) {
            synchronized (this) {
                role = j.role();
                if (j.turnPositions().length == positions.length) {
                    System.arraycopy(j.turnPositions(), 0, positions, 0, positions.length);
                }
            }
            passUp(e);
            passUp(nextTurns());
        } else if (e instanceof StackEvent.Deliver d && delivered(d.message())) {
            passUp(nextTurns()); // before the turn itself: whoever takes it sees the turn after it
            passUp(e);
        } else {
            passUp(e);
        }
    }

    /** The next turn of each pattern, by each of its types (the first pattern with a type wins). */
    private synchronized StackEvent.NextTurns nextTurns() {
        Map<String, Turn> byType = new HashMap<>();
        for (int p = 0; p < patterns.size(); p++) {
            Turn t = turn(p);
            for (Step s : patterns.get(p)) {
                byType.putIfAbsent(s.type(), t);
            }
        }
        return new StackEvent.NextTurns(byType);
    }

    @Override
    public void down(StackEvent e) {
        if (e instanceof StackEvent.Send s) {
            synchronized (this) {
                int p = patternOf(s.message().type());
                if (p >= 0) {
                    Step next = patterns.get(p).get(positions[p]);
                    if (!next.type().equals(s.message().type()) || (next.role() != null && !next.role().equals(role))) {
                        throw new StackRefusal("out of turn: it is " + turn(p) + "; this member is " + role);
                    }
                }
            }
        }
        passDown(e);
    }

    /** Follows a delivered message; true if it was a turn. */
    private synchronized boolean delivered(GroupMessage m) {
        int p = patternOf(m.type());
        if (p < 0) {
            return false;
        }
        List<Step> steps = patterns.get(p);
        if (!steps.get(positions[p]).type().equals(m.type())) {
            LOG.warn("turn pattern {}: a {} was delivered where a {} was expected; following it", p, m.type(),
                    steps.get(positions[p]).type());
        }
        positions[p]++;
        if (positions[p] == steps.size()) {
            positions[p] = 0;
            rounds[p]++;
        }
        return true;
    }

    private int patternOf(String type) {
        for (int p = 0; p < patterns.size(); p++) {
            for (Step s : patterns.get(p)) {
                if (s.type().equals(type)) {
                    return p;
                }
            }
        }
        return -1;
    }

    private Turn turn(int p) {
        Step s = patterns.get(p).get(positions[p]);
        return new Turn(s.type(), s.role(), positions[p], patterns.get(p).size(), rounds[p]);
    }
}
