package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.troupe.member.process.Member.Line;

/**
 * The group's guarantees, checked on the delivery sequences the member processes printed. Each
 * check fails with the member, the position and the expected and actual lines.
 */
final class Guarantees {
    private Guarantees() {
    }

    /**
     * One member's own stream: it starts with the member's own join view (JOIN_MODE), sequence
     * ids go up by exactly one across messages and views, view ids by one, every sender is a
     * member of the view in force and every holder named is a member (or 0, the server).
     */
    static void checkOwnStream(Member m, List<Line> seq) {
        if (seq.isEmpty()) {
            fail(m + ": delivered nothing");
        }
        Line first = seq.get(0);
        if (!first.isView() || !first.members().contains(m.id())) {
            fail(m + ": position 0: expected its own join view (a V line listing " + m.id() + ") but was '" + first
                    + "'");
        }
        Line view = first;
        for (int i = 1; i < seq.size(); i++) {
            Line prev = seq.get(i - 1);
            Line l = seq.get(i);
            if (l.seq() != prev.seq() + 1) {
                fail(m + ": position " + i + ": expected sequence id " + (prev.seq() + 1) + " after '" + prev
                        + "' but was '" + l + "'" + (l.seq() <= prev.seq() ? " (not increasing)" : " (a gap)"));
            }
            if (l.isView()) {
                if (l.viewId() != view.viewId() + 1) {
                    fail(m + ": position " + i + ": expected view id " + (view.viewId() + 1) + " after '" + view
                            + "' but was '" + l + "'");
                }
                if (l.holder() != 0 && !l.members().contains(l.holder())) {
                    fail(m + ": position " + i + ": sequencer holder is not a member of its view: '" + l + "'");
                }
                view = l;
            } else if (!view.members().contains(l.sender())) { // views flush: a sender's messages precede its removal
                fail(m + ": position " + i + ": message from " + l.sender() + " who is not in the view in force '"
                        + view + "': '" + l + "'");
            }
        }
    }

    /**
     * FIFO per sender and no duplicates: each sender's {@code name:k} come with k going up by one
     * (from 1 when {@code fromFirst}), and its id is the one {@code names} gives.
     */
    static void checkFifo(Member m, List<Line> seq, Map<Long, String> names, boolean fromFirst) {
        Map<Long, Integer> last = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < seq.size(); i++) {
            Line l = seq.get(i);
            if (l.isView()) {
                continue;
            }
            if (!seen.add(l.text())) {
                fail(m + ": position " + i + ": duplicate delivery '" + l + "'");
            }
            String expectedName = names.get(l.sender());
            if (expectedName == null || !expectedName.equals(l.senderName())) {
                fail(m + ": position " + i + ": message from member " + l.sender() + " (" + expectedName
                        + ") carries another sender's text: '" + l + "'");
            }
            Integer prev = last.get(l.sender());
            int expectedK = prev != null ? prev + 1 : fromFirst ? 1 : l.k();
            if (l.k() != expectedK) {
                fail(m + ": position " + i + ": FIFO broken for " + expectedName + ": expected " + expectedName + ":"
                        + expectedK + " but was '" + l + "'");
            }
            last.put(l.sender(), l.k());
        }
    }

    /** Every one of {@code sender}'s {@code n} messages was delivered to {@code m} (FIFO checked apart). */
    static void checkAllFrom(Member m, List<Line> seq, String sender, int n) {
        long got = seq.stream().filter(l -> l.isMessage() && l.senderName().equals(sender)).count();
        if (got != n) {
            fail(m + ": expected all " + n + " messages of " + sender + " but " + got + " were delivered"
                    + (got > 0 ? "; the last is '" + lastFrom(seq, sender) + "'" : ""));
        }
    }

    private static Line lastFrom(List<Line> seq, String sender) {
        Line last = null;
        for (Line l : seq) {
            if (l.isMessage() && l.senderName().equals(sender)) {
                last = l;
            }
        }
        return last;
    }

    /** The index of {@code line} in {@code seq} (by its text), failing if it is not there. */
    static int indexOf(Member m, List<Line> seq, Line line) {
        for (int i = 0; i < seq.size(); i++) {
            if (seq.get(i).raw().equals(line.raw())) {
                return i;
            }
        }
        fail(m + ": never delivered '" + line + "' (it delivered " + seq.size() + " lines from '"
                + (seq.isEmpty() ? "" : seq.get(0)) + "' to '" + (seq.isEmpty() ? "" : seq.get(seq.size() - 1))
                + "')");
        return -1;
    }

    /**
     * From {@code start} (a line each of them delivered) to the end, every member's sequence is
     * the reference's (the first member's), line for line.
     */
    static void checkIdenticalFrom(Line start, Map<Member, List<Line>> seqs) {
        Member ref = null;
        List<Line> expected = null;
        for (Map.Entry<Member, List<Line>> e : seqs.entrySet()) {
            List<Line> s = e.getValue();
            List<Line> tail = s.subList(indexOf(e.getKey(), s, start), s.size());
            if (ref == null) {
                ref = e.getKey();
                expected = tail;
                continue;
            }
            int n = Math.min(expected.size(), tail.size());
            for (int i = 0; i < n; i++) {
                if (!expected.get(i).raw().equals(tail.get(i).raw())) {
                    fail(e.getKey() + ": position " + i + " after '" + start + "': expected '" + expected.get(i)
                            + "' (as " + ref + " delivered) but was '" + tail.get(i) + "'"
                            + (i > 0 ? "; both delivered '" + expected.get(i - 1) + "' before" : ""));
                }
            }
            if (expected.size() != tail.size()) {
                fail(e.getKey() + ": delivered " + tail.size() + " lines from '" + start + "' on, but " + ref
                        + " delivered " + expected.size() + "; the first extra line is '"
                        + (expected.size() > tail.size() ? expected.get(n) + "' (at " + ref + ")"
                            : tail.get(n) + "' (at " + e.getKey() + ")"));
            }
        }
    }

    /**
     * Where two members' sequences overlap (by sequence id: both were present), they are the same
     * lines, so every view line is at the same place with the same neighbours in each member that
     * was present for it. Needs {@link #checkOwnStream} (contiguous sequence ids) first.
     */
    static void checkOverlapsIdentical(Map<Member, List<Line>> seqs) {
        List<Map.Entry<Member, List<Line>>> all = List.copyOf(seqs.entrySet());
        for (int a = 0; a < all.size(); a++) {
            for (int b = a + 1; b < all.size(); b++) {
                List<Line> x = all.get(a).getValue();
                List<Line> y = all.get(b).getValue();
                if (x.isEmpty() || y.isEmpty()) {
                    continue;
                }
                long from = Math.max(x.get(0).seq(), y.get(0).seq());
                long to = Math.min(x.get(x.size() - 1).seq(), y.get(y.size() - 1).seq());
                for (long s = from; s <= to; s++) {
                    Line lx = x.get((int) (s - x.get(0).seq()));
                    Line ly = y.get((int) (s - y.get(0).seq()));
                    if (!lx.raw().equals(ly.raw())) {
                        fail("sequence id " + s + ": " + all.get(a).getKey() + " delivered '" + lx + "' but "
                                + all.get(b).getKey() + " delivered '" + ly + "' (both were present from " + from
                                + " to " + to + ")");
                    }
                }
            }
        }
    }

    /** The first view line from {@code from} on that satisfies the test, or -1. */
    static int firstView(List<Line> seq, int from, java.util.function.Predicate<Line> test) {
        for (int i = from; i < seq.size(); i++) {
            if (seq.get(i).isView() && test.test(seq.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
