package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.process.Member.Line;

/**
 * Crashes with real processes: a member JVM is killed with SIGKILL while every member sends.
 * The server (heartbeat 200 ms, suspect 1 s) removes it; every survivor installs the view without
 * it at the same place of one common sequence, within the suspect time plus 2 s; when the
 * victim held the group's sequencer, the next volunteer takes over and nothing is lost.
 */
@Tag("process")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CrashProcessTest extends ProcessClusterTest {
    private static final long SUSPECT_MS = 1000;
    private static final int N = 300;

    @Test
    void aCrashedMemberLeavesOneViewAtOnePlaceInEveryOrder() throws Exception {
        crashMidTraffic("crash", List.of(), false);
    }

    @Test
    void theNextVolunteerTakesOverFromACrashedSequencerHolder() throws Exception {
        crashMidTraffic("seqcrash", List.of("ann", "bob", "cat"), true);
    }

    @Test
    void aMemberRemovedWhileStoppedExitsWithAClearError() throws Exception {
        cluster = ProcessCluster.start("stopped", "--heartbeat", "200", "--suspect", Long.toString(SUSPECT_MS));
        cluster.createGroup("stopped");
        Member ann = cluster.member("stopped", "ann", "--send", "20");
        Member bob = cluster.member("stopped", "bob");
        ann.awaitJoined(ProcessCluster.START_TIMEOUT_MS);
        long bobId = bob.awaitJoined(ProcessCluster.START_TIMEOUT_MS);
        ann.awaitDelivery(v -> v.isView() && v.members().contains(bobId), "the view with bob", WAIT_MS);
        bob.process().signal("STOP");
        long stopped = System.nanoTime();
        Line without;
        try {
            without = ann.awaitDelivery(v -> v.isView() && v.viewId() > 1 && !v.members().contains(bobId),
                    "a view without bob", SUSPECT_MS + 10_000);
        } finally {
            bob.process().signal("CONT");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
        assertTrue(ms <= SUSPECT_MS + 2000, "ann: the view without the stopped bob ('" + without + "') came " + ms
                + " ms after SIGSTOP; expected within " + (SUSPECT_MS + 2000) + " ms");
        int code = bob.process().awaitExit(10_000);
        assertEquals(ProcessMember.EXIT_REMOVED, code, "bob, removed while stopped, exits with "
                + ProcessMember.EXIT_REMOVED + "\n" + bob.process().describe());
        assertTrue(bob.process().stderr().contains("ProcessMember bob: removed from group stopped unexpectedly: "),
                "bob says why it exits on stderr:\n" + bob.process().stderr());
        ann.command("SEND"); // the group goes on without bob
        ann.awaitMessage("ann:20", WAIT_MS);
        System.err.printf("stopped: view without bob after %d ms; bob exited %d: %s%n", ms, code,
                bob.process().stderr().lines().filter(l -> l.startsWith("ProcessMember")).findFirst().orElse(""));
    }

    /**
     * Four members (those in {@code volunteers} with {@code --sequencer}) send N messages each
     * with random pauses; one is killed mid-traffic: the sequencer holder if {@code killHolder},
     * else a member that is not the holder.
     */
    private void crashMidTraffic(String group, List<String> volunteers, boolean killHolder) throws Exception {
        cluster = ProcessCluster.start(group, "--heartbeat", "200", "--suspect", Long.toString(SUSPECT_MS));
        cluster.createGroup(group);
        List<Member> members = new ArrayList<>();
        for (String name : List.of("ann", "bob", "cat", "dan")) {
            List<String> opts = new ArrayList<>(List.of("--send", Integer.toString(N), "--max-delay-ms", "16"));
            if (volunteers.contains(name)) {
                opts.add("--sequencer");
            }
            members.add(cluster.member(group, name, opts.toArray(new String[0])));
        }
        Map<Long, String> names = new LinkedHashMap<>();
        Map<String, Member> byName = new LinkedHashMap<>();
        for (Member m : members) {
            names.put(m.awaitJoined(ProcessCluster.START_TIMEOUT_MS), m.name());
            byName.put(m.name(), m);
        }
        // the view of all four (the last join): who holds the sequencer, in which join order
        Line full = members.get(0).awaitDelivery(v -> v.isView() && v.members().containsAll(names.keySet()),
                "the view of all four", WAIT_MS);
        long holder = full.holder();
        List<Long> volunteerIds = new ArrayList<>();
        for (long id : full.members()) {
            if (volunteers.contains(names.get(id))) {
                volunteerIds.add(id);
            }
        }
        long expectedHolder = volunteerIds.isEmpty() ? 0 : volunteerIds.get(0);
        assertEquals(expectedHolder, holder, "the oldest volunteer holds the sequencer in '" + full + "' (volunteers "
                + volunteers + ", ids " + names + ")");

        Member victim;
        if (killHolder) {
            victim = byName.get(names.get(holder));
        } else {
            victim = members.stream().filter(m -> m.id() != holder).reduce((a, b) -> b).orElseThrow();
        }
        List<Member> survivors = new ArrayList<>(members);
        survivors.remove(victim);
        long nextHolder = volunteerIds.stream().filter(id -> id != victim.id()).findFirst().orElse(0L);

        for (Member m : members) {
            m.command("SEND");
        }
        // mid-traffic: once a survivor has delivered the victim's 60th message
        survivors.get(0).awaitMessage(victim.name() + ":60", WAIT_MS);
        long killed = System.nanoTime();
        victim.process().signal("KILL");

        Map<Member, Line> crashViews = new LinkedHashMap<>();
        Map<Member, Long> latencies = new LinkedHashMap<>();
        for (Member s : survivors) {
            Line v = s.awaitDelivery(l -> l.isView() && l.viewId() > full.viewId() && !l.members().contains(victim.id()),
                    "a view without " + victim, SUSPECT_MS + 10_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertTrue(ms <= SUSPECT_MS + 2000, s + ": the view without " + victim + " ('" + v + "') came " + ms
                    + " ms after the kill; expected within " + (SUSPECT_MS + 2000) + " ms");
            crashViews.put(s, v);
            latencies.put(s, ms);
        }
        Line crashView = crashViews.get(survivors.get(0));
        for (Map.Entry<Member, Line> e : crashViews.entrySet()) {
            assertEquals(crashView.raw(), e.getValue().raw(), e.getKey() + ": the view that removes " + victim
                    + " differs from " + survivors.get(0) + "'s");
        }
        assertEquals(nextHolder, crashView.holder(), "after " + victim + " crashed, the holder in '" + crashView
                + "' should be " + (nextHolder == 0 ? "the server (0)" : names.get(nextHolder) + " (" + nextHolder
                + ")"));
        List<Long> expectedMembers = new ArrayList<>(full.members());
        expectedMembers.remove(victim.id());
        assertEquals(expectedMembers, crashView.members(), "members of the view after " + victim + " crashed");

        for (Member s : survivors) {
            for (Member t : survivors) {
                s.awaitMessage(t.name() + ":" + N, WAIT_MS);
            }
        }
        Map<Member, List<Line>> seqs = new LinkedHashMap<>();
        for (Member s : survivors) {
            seqs.put(s, s.deliveries());
        }
        int at = -1;
        for (Member s : survivors) {
            List<Line> seq = seqs.get(s);
            Guarantees.checkOwnStream(s, seq); // strict: the crash view flushes the holder's messages first
            Guarantees.checkFifo(s, seq, names, true);
            for (Member t : survivors) {
                Guarantees.checkAllFrom(s, seq, t.name(), N);
            }
            int pos = Guarantees.indexOf(s, seq, crashView) - Guarantees.indexOf(s, seq, full);
            if (at < 0) {
                at = pos;
            } else if (pos != at) {
                fail(s + ": the view without " + victim + " is " + pos + " deliveries after '" + full + "', but "
                        + at + " at " + survivors.get(0));
            }
            int views = 0;
            for (Line l : seq.subList(Guarantees.indexOf(s, seq, full), seq.size())) {
                views += l.isView() ? 1 : 0;
            }
            assertEquals(2, views, s + ": after the view of all four, exactly one view change (the crash) expected");
        }
        Guarantees.checkIdenticalFrom(full, seqs);

        List<Line> ref = seqs.get(survivors.get(0));
        int crashAt = Guarantees.indexOf(survivors.get(0), ref, crashView);
        long victimDelivered = ref.stream().filter(l -> l.isMessage() && l.sender() == victim.id()).count();
        assertTrue(victimDelivered >= 60, "at least the victim's first 60 messages were delivered, got "
                + victimDelivered);
        long victimAfter = ref.subList(crashAt, ref.size()).stream()
                .filter(l -> l.isMessage() && l.sender() == victim.id()).count();
        // the crash view is a flush point: whatever the victim published is ordered before it
        assertEquals(0, victimAfter, "no message of " + victim + " after the view that removed it, '"
                + crashView + "'");
        assertTrue(ref.subList(crashAt, ref.size()).stream().anyMatch(Line::isMessage),
                "the crash happened mid-traffic: survivors' messages follow the crash view");
        assertEquals(137, victim.process().awaitExit(5000), victim + " was killed by SIGKILL");
        System.err.printf("%s: %s killed; crash view '%s' seen (upper bounds, ms after the kill) %s; %d of its "
                + "messages delivered, %d of them after the crash view; %d deliveries from the full view to the crash "
                + "view%n", group, victim, crashView, latencies, victimDelivered, victimAfter, at);
    }
}
