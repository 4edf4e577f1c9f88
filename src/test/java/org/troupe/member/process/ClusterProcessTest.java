package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.member.GroupSpec;
import org.troupe.member.process.Member.Line;
import org.troupe.protocol.ApplicationProtocol;

/**
 * Base of the cluster's failure tests: three {@code troupe server} JVMs ({@link ClusterServers})
 * and member JVMs given every server, all stopped after each test whatever happened; a group of
 * four sending members, and the checks of what they delivered.
 */
@Tag("process")
abstract class ClusterProcessTest {
    /** The longest any one wait for a process's line may take. */
    static final long WAIT_MS = 60_000;
    /** Students answer, a Teacher may ask: every message is sequenced. */
    static final ApplicationProtocol STUDENTS = GroupSpec.parse("process-test", "Teacher:0:1,Student:1:n",
            "Question,Answer").toProtocol();

    @TempDir
    Path data;

    ClusterServers servers;

    /**
     * On a failure (or always, with {@code -Dtroupe.test.keep.logs=true}), every process's output
     * goes to the test's output (target/surefire-reports) and, whole, to
     * target/process-logs/CLASS/.
     */
    @RegisterExtension
    final TestWatcher outputOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (servers != null) {
                System.err.println("=== the processes of " + context.getDisplayName() + " ===\n" + servers.describe());
                dump(context);
            }
        }

        @Override
        public void testSuccessful(ExtensionContext context) {
            if (servers != null && Boolean.getBoolean("troupe.test.keep.logs")) {
                dump(context);
            }
        }

        private void dump(ExtensionContext context) {
            try {
                System.err.println("the processes' whole output: " + servers.dump(Path.of("target", "process-logs",
                        context.getRequiredTestClass().getSimpleName())).toAbsolutePath());
            } catch (java.io.IOException e) {
                System.err.println("cannot write the processes' output: " + e);
            }
        }
    };

    @AfterEach
    void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    /** Four members, each its own JVM, joined, and the view of all four that each delivered. */
    record Senders(List<Member> members, Map<Long, String> names, Line fullView) {
    }

    /**
     * Starts members {@code names} in {@code group} (Students, each sending {@code perSender}
     * messages with random pauses of up to {@code maxDelayMs} once told SEND) and waits until
     * each delivered the view of them all.
     */
    Senders startSenders(String group, List<String> names, int perSender, int maxDelayMs) throws Exception {
        List<Member> members = new ArrayList<>();
        for (String name : names) {
            members.add(servers.member(group, "Student", name, "--send", Integer.toString(perSender),
                    "--max-delay-ms", Integer.toString(maxDelayMs)));
        }
        Map<Long, String> ids = new LinkedHashMap<>();
        for (Member m : members) {
            ids.put(m.awaitJoined(WAIT_MS), m.name());
        }
        Line full = null;
        for (Member m : members) {
            Line v = m.awaitDelivery(l -> l.isView() && l.members().containsAll(ids.keySet()), "the view of all "
                    + names.size(), WAIT_MS);
            if (full != null && !full.raw().equals(v.raw())) {
                fail(m + " delivered the view of all as '" + v + "' but " + members.get(0) + " as '" + full + "'");
            }
            full = v;
        }
        return new Senders(members, ids, full);
    }

    /** Tells every member to send. */
    static void send(Senders s) throws Exception {
        for (Member m : s.members()) {
            m.command("SEND");
        }
    }

    /** Waits until every member flushed what it sent (SENT) and delivered every member's messages. */
    void awaitAllDelivered(Senders s, int perSender) throws Exception {
        for (Member m : s.members()) {
            m.process().awaitLine(l -> l.equals("SENT"), "SENT", WAIT_MS);
        }
        for (Member m : s.members()) {
            m.awaitMessages(perSender * s.members().size(), WAIT_MS);
        }
    }

    /**
     * The group's guarantees across whatever happened to the servers: each member's stream is
     * gap-free from its own join view; each sender's messages come once, in its order, all of
     * them; from the view of all on, every member delivered the same lines, and no view came
     * after it (nobody removed); every member still runs.
     */
    void checkOneSequence(Senders s, int perSender) {
        Map<Member, List<Line>> seqs = new LinkedHashMap<>();
        for (Member m : s.members()) {
            List<Line> seq = m.deliveries();
            Guarantees.checkOwnStream(m, seq);
            Guarantees.checkFifo(m, seq, s.names(), true);
            for (Member sender : s.members()) {
                Guarantees.checkAllFrom(m, seq, sender.name(), perSender);
            }
            int at = Guarantees.indexOf(m, seq, s.fullView());
            int later = Guarantees.firstView(seq, at + 1, v -> true);
            if (later >= 0) {
                fail(m + ": a view change after the view of all ('" + s.fullView() + "'): '" + seq.get(later)
                        + "' (a member was removed)");
            }
            seqs.put(m, seq);
        }
        Guarantees.checkIdenticalFrom(s.fullView(), seqs);
        for (Member m : s.members()) {
            assertTrue(m.process().isAlive(), m + " exited:\n" + m.process().describe());
        }
        assertEquals(perSender * s.members().size(), s.members().get(0).messageCount(), "messages delivered");
    }
}
