package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omg.CORBA.ORB;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Hosted.Closed;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.HostedMembers;
import org.troupe.idl.Hosted.HostedMembersHelper;
import org.troupe.member.Group;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ProtocolLoader;

/**
 * A hosted Student whose server is SIGKILLed goes on on another server: its IDL client (its own
 * ORB and the generated stubs of TroupeHosted.idl, nothing of Troupe's library) keeps the same
 * HostedMember reference, whose IOR names every server; its next call reaches another server,
 * which takes the member over (the same member: never removed, no view change) and resumes its
 * deliveries where the client was. The killed server also led the class, so the group's
 * sequencer and channel move too. A Java Teacher, given every server, streams Formulas across
 * the kill and asks Questions before and after: the client is given every Formula, in order,
 * nothing missing; what it may be given twice is only what it was handed shortly before the kill,
 * after the last position recorded (a receive's reply lost with its server looks the same to the
 * server as one that arrived), again as it was, so that dropping a message whose sender's message
 * id is not above the last one the client had from that sender (or a view whose sequence id is
 * not above the last view's) leaves every Formula exactly once. It answers every Question.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("process")
class HostedTakeOverProcessTest extends ClusterProcessTest {
    private static final int FORMULAS = 150;

    @Test
    void aHostedStudentGoesOnOnAnotherServerWhenItsServerIsKilled() throws Exception {
        servers = ClusterServers.start("takeover", data, 3);
        String group = "hosted-class";
        servers.createGroup(group, ProtocolLoader.loadBundled("tele-teaching"));
        servers.awaitServed(group);
        int host = servers.leaderNow(0, group); // the Student's server is also the class's leader
        IdlStudent zoe = new IdlStudent(servers.address(host), group);
        try (Troupe t = Troupe.connect(servers.all())) {
            Group tess = t.join(group, "Teacher", "tess");
            awaitStudents(tess, 1);
            long zoeId = zoe.me.id;

            ask(tess, "before", zoeId);
            Thread formulas = new Thread(() -> {
                try {
                    for (int i = 1; i <= FORMULAS; i++) {
                        tess.ask("Formula", ("f" + i).getBytes(StandardCharsets.UTF_8));
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "formulas");
            formulas.start();
            zoe.awaitFormulas(FORMULAS / 3, WAIT_MS);
            long killedAt = System.nanoTime();
            servers.signal(host, "KILL");
            formulas.join(WAIT_MS);
            zoe.awaitFormulas(FORMULAS, WAIT_MS);
            long pauseMs = zoe.longestGapMillisAround(killedAt);
            Query after = ask(tess, "after", zoeId);

            assertNull(zoe.failure, "the client's calls kept working: " + zoe.failure);
            assertTrue(zoe.duplicates <= 100, "only what was handed out just before the kill again: " + zoe.duplicates);
            List<String> formulasSeen = zoe.formulas();
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= FORMULAS; i++) {
                expected.add("f" + i);
            }
            assertEquals(expected, formulasSeen, "every Formula once, in order (none lost; again only as a duplicate)");
            List<Long> seqs = zoe.sequenceIds();
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i) > seqs.get(i - 1), "sequence ids increase: " + seqs);
            }
            assertTrue(tess.view().member(zoeId) != null, "the Student is still in: " + tess.view());
            for (org.troupe.member.model.Delivery d = tess.receive(Duration.ofMillis(1)); d != null;
                    d = tess.receive(Duration.ofMillis(1))) {
                if (d instanceof ViewChange v) {
                    assertTrue(v.left().stream().noneMatch(m -> m.id() == zoeId)
                            && v.crashed().stream().noneMatch(m -> m.id() == zoeId), "never removed: " + v);
                }
            }
            System.err.printf("hosted-takeover: killed %s (the Student's server and the class's leader); the Student "
                    + "got %d Formulas once each, answered %s; longest pause in its deliveries around the kill %d ms, "
                    + "%d client calls failed and were retried, %d deliveries came again (dropped)%n",
                    ClusterServers.id(host), formulasSeen.size(), after.responses(), pauseMs, zoe.retried,
                    zoe.duplicates);
            tess.leave();
        } finally {
            zoe.close();
        }
    }

    /** The Teacher asks; the Question completes with the Student's Answer. */
    private static Query ask(Group tess, String text, long zoe) throws Exception {
        Query q = tess.ask("Question", text.getBytes(StandardCharsets.UTF_8));
        assertTrue(q.await(Duration.ofSeconds(30)), "Question '" + text + "' completes: " + q);
        assertEquals(Query.Outcome.COMPLETE, q.outcome(), q.toString());
        assertEquals(List.of("zoe: auto " + text), q.responses().stream()
                .map(r -> r.sender().name() + ": " + r.text()).toList());
        assertTrue(q.responders().stream().anyMatch(m -> m.id() == zoe));
        return q;
    }

    private static void awaitStudents(Group g, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (g.view().count("Student") < n) {
            assertTrue(System.nanoTime() < deadline, "Students in view: " + g.view());
            g.receive(Duration.ofMillis(50));
        }
    }

    /**
     * A Student as any IDL client writes it: one ORB, the stubs, a receive loop that answers each
     * Question. A call that fails for transport reasons (its server died under it) is simply made
     * again on the same reference: no failover code.
     */
    private static final class IdlStudent implements AutoCloseable {
        final ORB orb;
        final HostedMember member;
        final MemberInfo me;
        private final Thread loop;
        private final List<Delivery> got = new ArrayList<>();
        private final List<Long> gotAtNanos = new ArrayList<>();
        private volatile boolean stopped;
        volatile String failure;
        volatile int retried;
        /** Deliveries given again after the take-over: dropped. */
        volatile int duplicates;
        private long lastView = -1;
        private final java.util.Map<Long, Long> lastFrom = new java.util.HashMap<>();

        IdlStudent(String hostPort, String group) throws Exception {
            Properties p = new Properties();
            p.setProperty("org.omg.CORBA.ORBClass", "org.jacorb.orb.ORB");
            p.setProperty("org.omg.CORBA.ORBSingletonClass", "org.jacorb.orb.ORBSingleton");
            p.setProperty("OAIAddr", "127.0.0.1");
            p.setProperty("jacorb.connection.client.pending_reply_timeout", "10000");
            p.setProperty("jacorb.connection.client.connect_timeout", "3000");
            p.setProperty("jacorb.iiop.enable_loopback", "off");
            orb = ORB.init(new String[0], p);
            HostedMembers byUrl = HostedMembersHelper.narrow(orb.string_to_object("corbaloc:iiop:" + hostPort
                    + "/TroupeHosted"));
            member = byUrl.reference().host_member(group, "Student", "zoe", null);
            me = member.me();
            loop = new Thread(this::run, "idl-student");
            loop.setDaemon(true);
            loop.start();
        }

        private void run() {
            long deadline = Long.MAX_VALUE;
            while (!stopped) {
                Delivery[] ds;
                try {
                    ds = member.receive(100, 200);
                    deadline = Long.MAX_VALUE;
                } catch (Closed e) {
                    failure = "closed: " + e.reason;
                    return;
                } catch (org.omg.CORBA.COMM_FAILURE | org.omg.CORBA.TRANSIENT | org.omg.CORBA.TIMEOUT e) {
                    retried++;
                    if (deadline == Long.MAX_VALUE) {
                        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    } else if (System.nanoTime() > deadline) {
                        failure = "no server answered for 30 s: " + e;
                        return;
                    }
                    sleep(100);
                    continue;
                } catch (Exception e) {
                    failure = e.toString();
                    return;
                }
                for (Delivery d : ds) {
                    if (givenBefore(d)) {
                        duplicates++; // given again: the client had it
                        continue;
                    }
                    synchronized (this) {
                        got.add(d);
                        gotAtNanos.add(System.nanoTime());
                        notifyAll();
                    }
                    if (d.discriminator() == DeliveryKind.MESSAGE_DELIVERY
                            && d.message().message_type.equals("Question")) {
                        answer(d);
                    }
                }
            }
        }

        /** A message not above its sender's last message id, or a view not above the last view. */
        private boolean givenBefore(Delivery d) {
            if (d.discriminator() == DeliveryKind.VIEW_DELIVERY) {
                if (d.view().sequence_id <= lastView) {
                    return true;
                }
                lastView = d.view().sequence_id;
            } else if (d.discriminator() == DeliveryKind.MESSAGE_DELIVERY) {
                Long last = lastFrom.get(d.message().ref.source);
                if (last != null && d.message().ref.message_id <= last) {
                    return true;
                }
                lastFrom.put(d.message().ref.source, d.message().ref.message_id);
            }
            return false;
        }

        private void answer(Delivery d) {
            String text = "auto " + new String(d.message().payload, StandardCharsets.UTF_8);
            for (int attempt = 0; attempt < 50 && !stopped; attempt++) {
                try {
                    member.reply(d.message().ref, "Answer", text.getBytes(StandardCharsets.UTF_8));
                    return;
                } catch (org.omg.CORBA.COMM_FAILURE | org.omg.CORBA.TRANSIENT | org.omg.CORBA.TIMEOUT e) {
                    retried++;
                    sleep(100);
                } catch (Exception e) {
                    failure = "reply: " + e;
                    return;
                }
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized List<String> formulas() {
            return IdlDeliveries.formulas(got);
        }

        synchronized List<Long> sequenceIds() {
            return IdlDeliveries.sequenceIds(got);
        }

        /** The longest time between two deliveries from just before {@code nanos} on (ms). */
        synchronized long longestGapMillisAround(long nanos) {
            return IdlDeliveries.longestGapMillisAround(gotAtNanos, nanos);
        }

        synchronized void awaitFormulas(int n, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (formulas().size() < n && failure == null) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "the Student got " + formulas().size() + " Formulas of " + n + " (failure: "
                        + failure + ")");
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            assertNull(failure, "the Student's client: " + failure);
        }

        @Override
        public void close() {
            stopped = true;
            orb.shutdown(false);
        }
    }
}
