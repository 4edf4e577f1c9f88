package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.process.Member.Line;

/**
 * Views during traffic with real processes: two members send all along while three others join,
 * send a little and leave, one after the other (overlapping). Every view line is the same, with
 * the same sequence id and the same neighbours, in every member that was present for it; the
 * steady members deliver every message of every sender.
 */
@Tag("process")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ViewsDuringTrafficProcessTest extends ProcessClusterTest {
    private static final int STEADY_N = 500;
    private static final int TRANSIENT_N = 40;

    @Test
    void viewsAreAtTheSamePlaceInEveryMemberThatSawThem() throws Exception {
        viewsDuringTraffic("views", false);
    }

    /**
     * The same with tim and tom volunteering for the sequencer: it goes from the server to tim,
     * to tom when tim leaves, back to the server when tom leaves, all during traffic.
     */
    @Test
    void viewsAndSequencerHandOversAreAtTheSamePlaceInEveryMember() throws Exception {
        viewsDuringTraffic("handover", true);
    }

    private void viewsDuringTraffic(String group, boolean volunteers) throws Exception {
        cluster = ProcessCluster.start(group);
        cluster.createGroup(group);
        Member ann = cluster.member(group, "ann", "--send", Integer.toString(STEADY_N), "--max-delay-ms", "16");
        Member bob = cluster.member(group, "bob", "--send", Integer.toString(STEADY_N), "--max-delay-ms", "16");
        List<Member> steady = List.of(ann, bob);
        List<Member> transients = new ArrayList<>();
        for (String name : List.of("tim", "tom", "tia")) {
            List<String> opts = new ArrayList<>(List.of("--join-on-stdin", "--send", Integer.toString(TRANSIENT_N),
                    "--max-delay-ms", "10"));
            if (volunteers && !name.equals("tia")) {
                opts.add("--sequencer");
            }
            transients.add(cluster.member(group, name, opts.toArray(new String[0])));
        }
        Member tim = transients.get(0);
        Member tom = transients.get(1);
        Member tia = transients.get(2);
        Map<Long, String> names = new LinkedHashMap<>();
        for (Member m : steady) {
            names.put(m.awaitJoined(ProcessCluster.START_TIMEOUT_MS), m.name());
        }
        for (Member m : transients) {
            m.awaitReady(ProcessCluster.START_TIMEOUT_MS);
        }
        ann.command("SEND");
        bob.command("SEND");
        ann.awaitMessage("ann:50", WAIT_MS);

        join(tim, names);
        join(tom, names);
        leaveWhenSent(tim);
        join(tia, names);
        leaveWhenSent(tom);
        leaveWhenSent(tia);

        List<Member> all = new ArrayList<>(steady);
        all.addAll(transients);
        for (Member m : steady) {
            for (Member s : all) {
                m.awaitMessage(s.name() + ":" + (steady.contains(s) ? STEADY_N : TRANSIENT_N), WAIT_MS);
            }
        }
        Map<Member, List<Line>> seqs = new LinkedHashMap<>();
        for (Member m : all) {
            seqs.put(m, m.deliveries());
        }
        for (Member m : all) {
            List<Line> seq = seqs.get(m);
            // with a member holding the sequencer, a leaver's last messages may be ordered after its leave
            Guarantees.checkOwnStream(m, seq);
            Guarantees.checkFifo(m, seq, names, steady.contains(m));
        }
        for (Member m : steady) {
            for (Member s : all) {
                Guarantees.checkAllFrom(m, seqs.get(m), s.name(), steady.contains(s) ? STEADY_N : TRANSIENT_N);
            }
        }

        // the view changes ann saw after bob joined: three joins and three leaves, in this order
        List<Line> annSeq = seqs.get(ann);
        int both = Guarantees.firstView(annSeq, 0, v -> v.members().equals(List.of(ann.id(), bob.id()))
                || v.members().equals(List.of(bob.id(), ann.id())));
        assertTrue(both >= 0, ann + " never delivered the view of ann and bob");
        List<Line> views = new ArrayList<>();
        for (Line l : annSeq.subList(both, annSeq.size())) {
            if (l.isView()) {
                views.add(l);
            }
        }
        List<Long> base = views.get(0).members();
        List<List<Long>> expected = List.of(base, plus(base, tim), plus(base, tim, tom), plus(base, tom),
                plus(base, tom, tia), plus(base, tia), base);
        List<List<Long>> actual = views.stream().map(Line::members).toList();
        assertEquals(expected, actual, ann + ": the members of each view from '" + views.get(0) + "' on: " + views);
        List<Long> holders = views.stream().map(Line::holder).toList();
        List<Long> expectedHolders = volunteers ? List.of(0L, tim.id(), tim.id(), tom.id(), tom.id(), 0L, 0L)
                : List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertEquals(expectedHolders, holders, ann + ": the sequencer holder of each view from '" + views.get(0)
                + "' on: " + views);

        // the view changes happened during traffic: steady senders' messages between the first
        // join and the last leave, and after it
        int firstChange = Guarantees.indexOf(ann, annSeq, views.get(1));
        int lastChange = Guarantees.indexOf(ann, annSeq, views.get(views.size() - 1));
        long between = annSeq.subList(firstChange, lastChange).stream()
                .filter(l -> l.isMessage() && (l.sender() == ann.id() || l.sender() == bob.id())).count();
        long after = annSeq.subList(lastChange, annSeq.size()).stream()
                .filter(l -> l.isMessage() && (l.sender() == ann.id() || l.sender() == bob.id())).count();
        assertTrue(between > 0 && after > 0, "the views did not happen during traffic: " + between
                + " messages of ann and bob between '" + views.get(1) + "' and '" + views.get(views.size() - 1)
                + "', " + after + " after");
        System.err.printf(group + ": %d messages of ann and bob between the first join and the last leave, %d after%n",
                between, after);

        // every view line, in every member present for it (its deliveries span the view's sequence id),
        // is the same line between the same neighbours
        TreeMap<Long, Line> allViews = new TreeMap<>();
        for (Map.Entry<Member, List<Line>> e : seqs.entrySet()) {
            for (Line l : e.getValue()) {
                if (l.isView()) {
                    Line before = allViews.putIfAbsent(l.seq(), l);
                    if (before != null && !before.raw().equals(l.raw())) {
                        fail(e.getKey() + ": delivered '" + l + "' where another member delivered '" + before + "'");
                    }
                }
            }
        }
        for (Line v : allViews.values()) {
            Member witness = null;
            List<Line> witnessSeq = null;
            for (Member m : all) {
                List<Line> seq = seqs.get(m);
                long first = seq.get(0).seq();
                long lastSeq = seq.get(seq.size() - 1).seq();
                if (v.seq() < first || v.seq() > lastSeq) {
                    continue; // not present for this view
                }
                int i = (int) (v.seq() - first);
                assertEquals(v.raw(), seq.get(i).raw(), m + ": position " + i + " (sequence id " + v.seq()
                        + "): the view line every other member present delivered there");
                if (witness == null) {
                    witness = m;
                    witnessSeq = seq;
                    continue;
                }
                int w = (int) (v.seq() - witnessSeq.get(0).seq());
                if (i > 0 && w > 0) {
                    assertEquals(witnessSeq.get(w - 1).raw(), seq.get(i - 1).raw(), m + ": the delivery before '"
                            + v + "' (as " + witness + " delivered it)");
                }
                if (i + 1 < seq.size() && w + 1 < witnessSeq.size()) {
                    assertEquals(witnessSeq.get(w + 1).raw(), seq.get(i + 1).raw(), m + ": the delivery after '"
                            + v + "' (as " + witness + " delivered it)");
                }
            }
        }
        Guarantees.checkOverlapsIdentical(seqs);
        for (Member m : transients) {
            assertEquals(0, m.process().awaitExit(10_000), m + " exits with 0 after LEAVE\n" + m.process().describe());
        }
    }

    private static void join(Member m, Map<Long, String> names) throws Exception {
        m.command("JOIN");
        names.put(m.awaitJoined(WAIT_MS), m.name());
        m.command("SEND");
    }

    private static void leaveWhenSent(Member m) throws Exception {
        m.process().awaitLine(l -> l.equals("SENT"), "SENT", WAIT_MS);
        m.command("LEAVE");
        m.process().awaitLine(l -> l.equals("LEFT"), "LEFT", WAIT_MS);
    }

    private static List<Long> plus(List<Long> base, Member... more) {
        List<Long> out = new ArrayList<>(base);
        for (Member m : more) {
            out.add(m.id());
        }
        return out;
    }
}
