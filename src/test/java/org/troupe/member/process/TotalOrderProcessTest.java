package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Total order with real processes: a server JVM and four member JVMs (each with its own ORB)
 * sending concurrently with random pauses; every member delivers the same sequence, FIFO per
 * sender, with no duplicates, nothing missing, and sequence ids without gaps.
 */
@Tag("process")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TotalOrderProcessTest extends ProcessClusterTest {
    private static final int N = 400;

    @Test
    void fourConcurrentSendersDeliverOneSequence() throws Exception {
        long t0 = System.nanoTime();
        cluster = ProcessCluster.start("order");
        cluster.createGroup("order");
        List<Member> members = new ArrayList<>();
        for (String name : List.of("ann", "bob", "cat", "dan")) {
            members.add(cluster.member("order", name, "--send", Integer.toString(N), "--max-delay-ms", "4"));
        }
        Map<Long, String> names = new LinkedHashMap<>();
        for (Member m : members) {
            names.put(m.awaitJoined(ProcessCluster.START_TIMEOUT_MS), m.name());
        }
        long joined = System.nanoTime();
        for (Member m : members) {
            m.command("SEND");
        }
        for (Member m : members) {
            for (Member s : members) {
                m.awaitMessage(s.name() + ":" + N, WAIT_MS);
            }
        }
        for (Member m : members) {
            m.process().awaitLine(l -> l.equals("SENT"), "SENT", WAIT_MS);
        }

        long done = System.nanoTime();
        System.err.printf("order: server and 4 members up and joined in %d ms, %d messages delivered to each in %d ms%n",
                (joined - t0) / 1_000_000, 4 * N, (done - joined) / 1_000_000);
        Map<Member, List<Line>> seqs = new LinkedHashMap<>();
        for (Member m : members) {
            seqs.put(m, m.deliveries());
        }
        for (Member m : members) {
            List<Line> seq = seqs.get(m);
            Guarantees.checkOwnStream(m, seq);
            Guarantees.checkFifo(m, seq, names, true);
            for (Member s : members) {
                Guarantees.checkAllFrom(m, seq, s.name(), N);
            }
        }
        // every member joined before anyone sent: from the view of all four on, one sequence
        List<Line> first = seqs.get(members.get(0));
        int all = Guarantees.firstView(first, 0, v -> v.members().containsAll(names.keySet()));
        assertTrue(all >= 0, members.get(0) + " never delivered a view with all of " + names.keySet());
        Line common = first.get(all);
        Guarantees.checkIdenticalFrom(common, seqs);
        for (Member m : members) {
            List<Line> seq = seqs.get(m);
            assertEquals(4 * N + 1, seq.size() - Guarantees.indexOf(m, seq, common),
                    m + ": the view of all four and " + 4 * N + " messages after it, nothing else");
        }
    }
}
