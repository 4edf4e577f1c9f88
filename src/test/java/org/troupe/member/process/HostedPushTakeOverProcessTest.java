package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omg.CORBA.ORB;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.HostedMembers;
import org.troupe.idl.Hosted.HostedMembersHelper;
import org.troupe.idl.Hosted.MemberCallback;
import org.troupe.idl.Hosted.MemberCallbackHelper;
import org.troupe.idl.Hosted.MemberCallbackPOA;
import org.troupe.member.Group;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ProtocolLoader;

/**
 * A hosted Student with a callback (push delivery) whose server is SIGKILLed (or SIGSTOPped)
 * goes on on another server without calling anything: its IDL client (its own ORB, its own
 * callback servant, the generated stubs of TroupeHosted.idl, nothing of Troupe's library) keeps
 * being called. The group's leader sees the lease of the dead server's claim on the callback
 * lapse, claims the member and pushes from what the callback acknowledged. A Java Teacher, given
 * every server, streams Formulas across the kill and asks Questions before and after (the
 * Student's answers after the kill are its sends, forwarded to the server that now pushes to it):
 * after dropping a message whose sender's message id is not above the last one from that sender
 * (or a view not above the last view), every Formula arrives exactly once, in order; callback
 * calls never overlap (one pusher at a time); the Student is never removed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("process")
class HostedPushTakeOverProcessTest extends ClusterProcessTest {
    private static final int FORMULAS = 150;

    @Test
    void aPushedStudentGoesOnWhenItsServerWhichFollowsTheClassIsKilled() throws Exception {
        run(false, "KILL");
    }

    @Test
    void aPushedStudentGoesOnWhenItsServerWhichLeadsTheClassIsKilled() throws Exception {
        run(true, "KILL");
    }

    @Test
    void aPushedStudentGoesOnWhenItsServerIsStoppedAndTheStoppedServerNeverPushesAgain() throws Exception {
        run(false, "STOP");
    }

    private void run(boolean hostLeads, String signal) throws Exception {
        servers = ClusterServers.start("pushtakeover", data, 3);
        String group = "pushed-class";
        servers.createGroup(group, ProtocolLoader.loadBundled("tele-teaching"));
        servers.awaitServed(group);
        int leader = servers.leaderNow(0, group);
        int host = hostLeads ? leader : (leader + 1) % 3;
        PushStudent zoe = new PushStudent(servers.address(host), group);
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
            long signalledAt = System.nanoTime();
            servers.signal(host, signal);
            formulas.join(WAIT_MS);
            zoe.awaitFormulas(FORMULAS, WAIT_MS);
            long pauseMs = zoe.longestGapMillisAround(signalledAt);
            int duplicatesBeforeResume = zoe.duplicates.get();
            if (signal.equals("STOP")) {
                servers.signal(host, "CONT");
                awaitOutput(host, "no longer calls its callback");
            }
            Query after = ask(tess, "after", zoeId);
            for (int i = 0; i < 3; i++) {
                if (i != host || signal.equals("STOP")) {
                    // the same object through one server: served there, or forwarded to the one that pushes
                    assertEquals(zoeId, zoe.through(servers.address(i)).me().id, "through " + ClusterServers.id(i));
                }
            }

            assertNull(zoe.failure, "the client's calls kept working: " + zoe.failure);
            assertEquals(1, zoe.maxConcurrentCalls.get(), "callback calls never overlap: one pusher at a time");
            assertTrue(zoe.duplicates.get() <= 200, "only what was pushed shortly before the kill again: "
                    + zoe.duplicates);
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
            assertNull(zoe.closed, "the member was never closed");
            assertTrue(tess.view().member(zoeId) != null, "the Student is still in: " + tess.view());
            for (org.troupe.member.model.Delivery d = tess.receive(Duration.ofMillis(1)); d != null;
                    d = tess.receive(Duration.ofMillis(1))) {
                if (d instanceof ViewChange v) {
                    assertTrue(v.left().stream().noneMatch(m -> m.id() == zoeId)
                            && v.crashed().stream().noneMatch(m -> m.id() == zoeId), "never removed: " + v);
                }
            }
            System.err.printf("hosted-push-takeover: %s %s (the Student's server, %s of the class); the Student's "
                    + "callback got %d Formulas once each, answered %s; longest pause in its deliveries around it "
                    + "%d ms; %d deliveries came again (dropped; %d before the stopped server ran again), %d sends "
                    + "retried%n", signal, ClusterServers.id(host), hostLeads ? "leader" : "follower",
                    formulasSeen.size(), after.responses(), pauseMs, zoe.duplicates.get(), duplicatesBeforeResume,
                    zoe.retried.get());
            tess.leave();
        } finally {
            zoe.close();
        }
    }

    private void awaitOutput(int server, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!servers.output(server).contains(text)) {
            assertTrue(System.nanoTime() < deadline, ClusterServers.id(server) + " never said '" + text + "'");
            Thread.sleep(50);
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
     * A Student as any IDL client with push delivery writes it: one ORB, the stubs, a callback
     * servant that keeps what it is given and hands each Question to a thread that answers it. A
     * call that fails for transport reasons (its server died under it) is simply made again on
     * the same reference: no failover code.
     */
    private static final class PushStudent extends MemberCallbackPOA implements AutoCloseable {
        final ORB orb;
        final HostedMember member;
        final MemberInfo me;
        private final Thread answerer;
        private final BlockingQueue<Delivery> questions = new ArrayBlockingQueue<>(1000);
        private final List<Delivery> got = new ArrayList<>();
        private final List<Long> gotAtNanos = new ArrayList<>();
        private final AtomicInteger inCall = new AtomicInteger();
        final AtomicInteger maxConcurrentCalls = new AtomicInteger();
        private volatile boolean stopped;
        volatile String failure;
        volatile String closed;
        final AtomicInteger retried = new AtomicInteger();
        /** Deliveries given again after the take-over: dropped. */
        final AtomicInteger duplicates = new AtomicInteger();
        private long lastView = -1;
        private final java.util.Map<Long, Long> lastFrom = new java.util.HashMap<>();

        PushStudent(String hostPort, String group) throws Exception {
            Properties p = new Properties();
            p.setProperty("org.omg.CORBA.ORBClass", "org.jacorb.orb.ORB");
            p.setProperty("org.omg.CORBA.ORBSingletonClass", "org.jacorb.orb.ORBSingleton");
            p.setProperty("OAIAddr", "127.0.0.1");
            p.setProperty("jacorb.connection.client.pending_reply_timeout", "10000");
            p.setProperty("jacorb.connection.client.connect_timeout", "3000");
            p.setProperty("jacorb.iiop.enable_loopback", "off");
            orb = ORB.init(new String[0], p);
            POA root = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
            root.the_POAManager().activate();
            MemberCallback callback = MemberCallbackHelper.narrow(root.servant_to_reference(this));
            HostedMembers byUrl = HostedMembersHelper.narrow(orb.string_to_object("corbaloc:iiop:" + hostPort
                    + "/TroupeHosted"));
            member = host(byUrl.reference(), group, callback);
            me = member.me();
            answerer = new Thread(this::answerQuestions, "idl-student-answers");
            answerer.setDaemon(true);
            answerer.start();
        }

        /**
         * The member's object as reached through server {@code hostPort} only (its object key in a
         * corbaloc URL): how a client whose ORB picked that server's address sees it.
         */
        HostedMember through(String hostPort) {
            byte[] key = ((org.jacorb.orb.Delegate) ((org.omg.CORBA.portable.ObjectImpl) member)._get_delegate())
                    .getObjectKey();
            StringBuilder url = new StringBuilder("corbaloc:iiop:" + hostPort + "/");
            for (byte b : key) {
                int c = b & 0xff;
                if (Character.isLetterOrDigit(c) && c < 128) {
                    url.append((char) c);
                } else {
                    url.append('%').append(String.format("%02x", c));
                }
            }
            return org.troupe.idl.Hosted.HostedMemberHelper.unchecked_narrow(orb.string_to_object(url.toString()));
        }

        /** Joins; a join the group cannot take yet (a leader moving while the cluster settles) is tried again. */
        private static HostedMember host(HostedMembers factory, String group, MemberCallback callback)
                throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    return factory.host_member(group, "Student", "zoe", callback);
                } catch (org.troupe.idl.Hosted.JoinRefused e) {
                    if (System.nanoTime() > deadline || e.reason.contains("already a member")) {
                        throw new AssertionError("host_member: " + e.reason, e);
                    }
                    System.err.println("host_member refused, tried again: " + e.reason);
                    sleep(200);
                }
            }
        }

        @Override
        public void deliver(Delivery[] deliveries) {
            int now = inCall.incrementAndGet();
            maxConcurrentCalls.accumulateAndGet(now, Math::max);
            try {
                for (Delivery d : deliveries) {
                    if (givenBefore(d)) {
                        duplicates.incrementAndGet(); // given again: the client had it
                        continue;
                    }
                    synchronized (this) {
                        got.add(d);
                        gotAtNanos.add(System.nanoTime());
                        notifyAll();
                    }
                    if (d.discriminator() == DeliveryKind.CLOSED_DELIVERY) {
                        closed = d.reason();
                    } else if (d.discriminator() == DeliveryKind.MESSAGE_DELIVERY
                            && d.message().message_type.equals("Question") && !questions.offer(d)) {
                        failure = "too many Questions waiting";
                    }
                }
            } finally {
                inCall.decrementAndGet();
            }
        }

        /** A message not above its sender's last message id, or a view not above the last view. */
        private synchronized boolean givenBefore(Delivery d) {
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

        private void answerQuestions() {
            while (!stopped) {
                Delivery d;
                try {
                    d = questions.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (d != null) {
                    answer(d);
                }
            }
        }

        private void answer(Delivery d) {
            String text = "auto " + new String(d.message().payload, StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stopped) {
                try {
                    member.reply(d.message().ref, "Answer", text.getBytes(StandardCharsets.UTF_8));
                    return;
                } catch (org.omg.CORBA.COMM_FAILURE | org.omg.CORBA.TRANSIENT | org.omg.CORBA.TIMEOUT
                        | org.omg.CORBA.OBJECT_NOT_EXIST e) {
                    retried.incrementAndGet();
                    if (System.nanoTime() > deadline) {
                        failure = "reply: no server took it for 30 s: " + e;
                        return;
                    }
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
            while (formulas().size() < n && failure == null && closed == null) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "the Student got " + formulas().size() + " Formulas of " + n + " (failure: "
                        + failure + ")");
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            assertNull(failure, "the Student's client: " + failure);
            assertNull(closed, "the Student's member was closed: " + closed);
        }

        @Override
        public void close() {
            stopped = true;
            orb.shutdown(false);
        }
    }
}
