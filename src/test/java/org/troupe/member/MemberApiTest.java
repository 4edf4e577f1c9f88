package org.troupe.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.TestGroupsServer.messages;
import static org.troupe.member.TestGroupsServer.utf8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Destination;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/**
 * The Java member API against a real server over IIOP, each member with its own ORB: delivery
 * in one order with views in it, destinations, self-discard, listeners, JOIN_MODE, the member
 * sequencer and its take-over, and every refusal as a clear exception.
 */
@Tag("integration")
class MemberApiTest {
    private static TestGroupsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestGroupsServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Troupe connect() throws TroupeException {
        return server.connect();
    }

    private static GroupSpec classroom() {
        return GroupSpec.parse("tele-teaching", "Teacher:1:1,Student:1:n", "Question,Answer,Formula");
    }

    private static ViewChange nextView(Group g) throws Exception {
        while (true) {
            Delivery d = g.receive(Duration.ofSeconds(10));
            assertNotNull(d, "no view change within 10 s");
            if (d instanceof ViewChange v) {
                return v;
            }
        }
    }

    @Test
    void membersDeliverTheSameSequenceWithViewsInIt() throws Exception {
        Troupe a = connect();
        a.createGroup("same", classroom());
        Group teacher = a.join("same", "Teacher", "Tess");
        ViewChange first = nextView(teacher);
        assertEquals(1, first.view().members().size(), "JOIN_MODE ends with the member's own view");
        Group ann = connect().join("same", "Student", "Ann");
        Group bob = connect().join("same", "Student", "Bob");
        for (int i = 0; i < 50; i++) {
            teacher.send("Question", utf8("q" + i));
            ann.send("Answer", utf8("a" + i));
            bob.send("Answer", utf8("b" + i));
        }
        List<String> seqT = stream(teacher, 150);
        List<String> seqA = stream(ann, 150);
        List<String> seqB = stream(bob, 150);
        // Tess saw two more views than Bob (Ann's and Bob's joins), Ann one more: compare from Bob's view on
        assertEquals(seqB, seqT.subList(seqT.indexOf(seqB.get(0)), seqT.size()));
        assertEquals(seqB, seqA.subList(seqA.indexOf(seqB.get(0)), seqA.size()));
        assertEquals(3, teacher.view().members().size());
        assertTrue(teacher.view().complete());
        a.destroyGroup("same");
    }

    /** Deliveries as "seq type text" lines until {@code n} messages are in. */
    private static List<String> stream(Group g, int n) throws Exception {
        List<String> out = new ArrayList<>();
        int msgs = 0;
        while (msgs < n) {
            Delivery d = g.receive(Duration.ofSeconds(10));
            assertNotNull(d, g + ": timed out after " + msgs + " messages");
            if (d instanceof Received r) {
                out.add(r.sequenceId() + " " + r.type() + " " + r.text() + " from " + r.sender().name());
                msgs++;
            } else if (d instanceof ViewChange v) {
                out.add(v.sequenceId() + " view " + v.view().id());
            }
        }
        return out;
    }

    @Test
    void destinationsAndSelfDiscard() throws Exception {
        Troupe a = connect();
        a.createGroup("dest", classroom());
        Group teacher = a.join("dest", "Teacher", "Tess", JoinOptions.defaults().selfDiscard(true));
        Group ann = connect().join("dest", "Student", "Ann");
        Group bob = connect().join("dest", "Student", "Bob");
        // flushed one by one, so that the total order is the order of these lines
        ann.send("Answer", utf8("to the teacher"), Destination.role("Teacher"));
        assertTrue(ann.flush(Duration.ofSeconds(5)));
        bob.send("Answer", utf8("to ann only"), Destination.member(ann.me().id()));
        assertTrue(bob.flush(Duration.ofSeconds(5)));
        teacher.send("Question", utf8("to all"));
        assertTrue(teacher.flush(Duration.ofSeconds(5)));
        bob.send("Answer", utf8("last"), Destination.group());

        List<String> t = texts(messages(teacher, 2));
        assertEquals(List.of("to the teacher", "last"), t, "self-discard: not its own Question");
        assertEquals(List.of("to ann only", "to all", "last"), texts(messages(ann, 3)),
                "not Ann's own Answer to the Teacher");
        assertEquals(List.of("to all", "last"), texts(messages(bob, 2)),
                "Bob sees neither Ann's Answer to the Teacher nor his own to Ann");
        a.destroyGroup("dest");
    }

    @Test
    void aSendersOwnMessagesComeFromItsCopyAsSentEvenIfItReusesTheArray() throws Exception {
        Troupe a = connect();
        a.createGroup("own", classroom());
        Group teacher = a.join("own", "Teacher", "Tess");
        Group ann = connect().join("own", "Student", "Ann");
        byte[] buffer = new byte[3];
        for (int i = 0; i < 100; i++) { // one array for every message, changed at once after each send
            java.util.Arrays.fill(buffer, (byte) ('0' + i % 10));
            teacher.send("Question", buffer);
            java.util.Arrays.fill(buffer, (byte) 'x');
        }
        List<String> atTeacher = texts(messages(teacher, 100));
        List<String> atAnn = texts(messages(ann, 100));
        assertEquals(atAnn, atTeacher, "the sender delivers its own messages (from its copy) like everyone");
        for (int i = 0; i < 100; i++) {
            assertEquals(String.valueOf((char) ('0' + i % 10)).repeat(3), atTeacher.get(i));
        }
        a.destroyGroup("own");
    }

    private static List<String> texts(List<Received> rs) {
        List<String> out = new ArrayList<>();
        for (Received r : rs) {
            out.add(r.text());
        }
        return out;
    }

    @Test
    void listenerGetsMessagesAndViewsAndTheClose() throws Exception {
        Troupe a = connect();
        a.createGroup("listen", classroom());
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        CountDownLatch fourDeliveries = new CountDownLatch(4);
        Group teacher = a.join("listen", "Teacher", "Tess", JoinOptions.defaults().listener(new GroupListener() {
            @Override
            public void onMessage(Received m) {
                seen.add(m.text());
                fourDeliveries.countDown();
            }

            @Override
            public void onView(ViewChange c) {
                seen.add("view " + c.view().members().size());
                fourDeliveries.countDown();
            }

            @Override
            public void onClosed(String reason) {
                seen.add("closed: " + reason);
                closed.countDown();
            }
        }));
        Group ann = connect().join("listen", "Student", "Ann");
        ann.send("Answer", utf8("hello"));
        ann.leave();
        assertTrue(fourDeliveries.await(10, TimeUnit.SECONDS), "deliveries so far: " + seen);
        assertEquals(List.of("view 1", "view 2", "hello", "view 1"), seen);
        teacher.leave();
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertTrue(seen.get(seen.size() - 1).startsWith("closed: left group listen"), seen.toString());
        a.destroyGroup("listen");
    }

    @Test
    void anInlineListenerGetsTheSameDeliveriesOnTheThreadThatReceivedThemAndMaySend() throws Exception {
        Troupe a = connect();
        a.createGroup("inline", classroom());
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        List<String> joinRefusals = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        CountDownLatch fiveDeliveries = new CountDownLatch(5);
        Group[] self = new Group[1];
        Group teacher = a.join("inline", "Teacher", "Tess", JoinOptions.defaults().listenerInline(new GroupListener() {
            @Override
            public void onMessage(Received m) {
                seen.add(m.text());
                threads.add(Thread.currentThread().getName());
                if (m.text().equals("hello")) {
                    try {
                        self[0].send("Question", utf8("welcome")); // sending from the delivering thread
                    } catch (TroupeException e) {
                        seen.add("send failed: " + e.getMessage());
                    }
                    // joining would wait for the server's call-back over this very connection: refused at once
                    try {
                        a.join("inline", "Student", "Zed").leave();
                        joinRefusals.add("joined");
                    } catch (IllegalStateException | TroupeException e) {
                        joinRefusals.add(e.getMessage());
                    }
                }
                fiveDeliveries.countDown();
            }

            @Override
            public void onView(ViewChange c) {
                seen.add("view " + c.view().members().size());
                fiveDeliveries.countDown();
            }

            @Override
            public void onClosed(String reason) {
                seen.add("closed: " + reason);
                closed.countDown();
            }
        }));
        self[0] = teacher;
        IllegalStateException pull = assertThrows(IllegalStateException.class, teacher::poll);
        assertTrue(pull.getMessage().contains("delivers to its inline listener"), pull.getMessage());
        Group ann = connect().join("inline", "Student", "Ann");
        ann.send("Answer", utf8("hello"));
        Delivery got;
        do {
            got = ann.receive(Duration.ofSeconds(10));
            assertNotNull(got, "Ann got no Question from the Teacher's listener within 10 s");
        } while (!(got instanceof Received r && r.text().equals("welcome")));
        ann.leave();
        assertTrue(fiveDeliveries.await(10, TimeUnit.SECONDS), "deliveries so far: " + seen);
        assertEquals(List.of("view 1", "view 2", "hello", "welcome", "view 1"), seen);
        assertTrue(threads.stream().noneMatch(t -> t.startsWith("troupe-inline-")), "no thread of the group's: "
                + threads);
        // on the thread that read them from the connection, not handed to a request processor
        assertTrue(threads.stream().allMatch(t -> t.startsWith("ServerMessageReceptor")), "the reader: " + threads);
        assertEquals(1, joinRefusals.size(), joinRefusals::toString);
        assertTrue(joinRefusals.get(0).startsWith("join from an inline listener"), joinRefusals::toString);
        teacher.leave();
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertTrue(seen.get(seen.size() - 1).startsWith("closed: left group inline"), seen.toString());
        assertEquals(1, seen.stream().filter(x -> x.startsWith("closed: ")).count(), seen.toString());
        a.destroyGroup("inline");
    }

    @Test
    void refusalsAreClearAndTheGroupGoesOn() throws Exception {
        Troupe a = connect();
        a.createGroup("bad", classroom());
        Group teacher = a.join("bad", "Teacher", "Tess");
        TroupeException e = assertThrows(TroupeException.class, () -> a.join("nope", "Teacher", "X"));
        assertEquals("unknown group 'nope'", e.getMessage());
        e = assertThrows(TroupeException.class, () -> connect().join("bad", "Student", "Tess"));
        assertTrue(e.getMessage().contains("'Tess' is already a member of group bad"), e.getMessage());
        e = assertThrows(TroupeException.class, () -> connect().join("bad", "Teacher", "Tom"));
        assertEquals("role Teacher of group bad is full (max 1)", e.getMessage());
        e = assertThrows(TroupeException.class, () -> connect().join("bad", "Principal", "Pat"));
        assertEquals("group bad has no role 'Principal' (roles: Teacher, Student)", e.getMessage());
        e = assertThrows(TroupeException.class, () -> teacher.send("Gossip", new byte[1]));
        assertEquals("group bad has no message type 'Gossip' (types: Answer, Formula, Question)", e.getMessage());
        e = assertThrows(TroupeException.class, () -> teacher.send("Question", new byte[4097]));
        assertEquals("payload of 4097 bytes is over group bad's limit of 4096 bytes", e.getMessage());
        e = assertThrows(TroupeException.class, () -> teacher.send("Question", new byte[1], Destination.role("Dean")));
        assertEquals("group bad has no role 'Dean'", e.getMessage());

        Group ann = connect().join("bad", "Student", "Ann");
        teacher.send("Question", utf8("still working"));
        assertEquals("still working", messages(ann, 1).get(0).text());
        ann.leave();
        e = assertThrows(GroupClosedException.class, () -> ann.send("Answer", new byte[1]));
        assertEquals("left group bad", e.getMessage());
        // what was delivered before the leave can still be read; then receive says why it is over
        GroupClosedException over = assertThrows(GroupClosedException.class, () -> {
            for (int i = 0; i < 10; i++) {
                assertNotNull(ann.receive(Duration.ofSeconds(1)));
            }
        });
        assertEquals("left group bad", over.getMessage());
        a.destroyGroup("bad");
    }

    @Test
    void aMemberHoldsTheSequencerAndAnotherTakesOverWhenItLeaves() throws Exception {
        Troupe a = connect();
        a.createGroup("seq", classroom());
        Group tess = a.join("seq", "Teacher", "Tess");
        Group ann = connect().join("seq", "Student", "Ann", JoinOptions.defaults().sequencer(true));
        Group bob = connect().join("seq", "Student", "Bob", JoinOptions.defaults().sequencer(true));
        assertEquals(ann.me().id(), bob.view().sequencer(), "the oldest volunteer holds the sequencer");
        for (int i = 0; i < 100; i++) {
            tess.send("Question", utf8("q" + i));
            bob.send("Answer", utf8("b" + i));
        }
        List<String> bobs = stream(bob, 200);
        ann.leave(); // Bob takes over
        for (int i = 0; i < 100; i++) {
            tess.send("Question", utf8("r" + i));
        }
        ViewChange v = nextView(bob);
        assertEquals(bob.me().id(), v.view().sequencer(), "the next volunteer takes over");
        List<String> rest = stream(bob, 100);
        bob.leave(); // the manager takes over
        tess.send("Question", utf8("last"));
        List<String> tessAll = stream(tess, 200 + 100 + 1);
        List<String> bobAll = new ArrayList<>(bobs);
        bobAll.add(v.sequenceId() + " view " + v.view().id());
        bobAll.addAll(rest);
        assertEquals(bobAll, tessAll.subList(tessAll.indexOf(bobAll.get(0)), tessAll.indexOf(bobAll.get(0))
                + bobAll.size()), "the same order before and after the take-over");
        assertTrue(tessAll.get(tessAll.size() - 1).endsWith("Question last from Tess"));
        assertEquals(0, tess.view().sequencer(), "no volunteer left: the manager holds it");
        a.destroyGroup("seq");
    }

    @Test
    void aSequencerVolunteerOrdersMessagesItMayNotReadWithoutTheirPayloads() throws Exception {
        Troupe a = connect();
        a.createGroup("private-seq", classroom());
        Group tess = a.join("private-seq", "Teacher", "Tess");
        Group ann = connect().join("private-seq", "Student", "Ann", JoinOptions.defaults().sequencer(true));
        Group bob = connect().join("private-seq", "Student", "Bob");
        assertEquals(ann.me().id(), tess.view().sequencer(), "Ann holds the sequencer");
        for (int i = 0; i < 100; i++) {
            tess.send("Question", utf8("q" + i));
            bob.send("Answer", utf8("secret" + i), org.troupe.member.model.Destination.role("Teacher"));
        }
        List<String> tessAll = stream(tess, 200);
        List<String> anns = stream(ann, 100);
        assertTrue(anns.stream().noneMatch(l -> l.contains("secret")), "Ann delivers only her audience");
        // the same total order: Tess's deliveries from Ann's first on, without what was not for Ann
        List<String> tessForAnn = new ArrayList<>(tessAll.subList(tessAll.indexOf(anns.get(0)), tessAll.size()));
        tessForAnn.removeIf(l -> l.contains("secret"));
        assertEquals(anns, tessForAnn);
        assertEquals(100, tessAll.stream().filter(l -> l.contains("secret")).count(), "ordered by Ann");
        org.troupe.member.stack.TotalOrderLayer order = ann.layer(org.troupe.member.stack.TotalOrderLayer.class);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (order.referencesForOrdering() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(100, order.referencesForOrdering(), "Bob's Answers reached Ann as references, dropped on arrival");
        assertTrue(ann.layer(org.troupe.member.stack.SequencerLayer.class).ordersSent() >= 200, "Ann ordered them");
        a.destroyGroup("private-seq");
    }
}
