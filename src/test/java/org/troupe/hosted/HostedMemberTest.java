package org.troupe.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.UnknownGroup;
import org.troupe.idl.Hosted.Closed;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.Invalid;
import org.troupe.idl.Hosted.JoinRefused;
import org.troupe.idl.Hosted.MemberCallback;
import org.troupe.idl.Hosted.MemberCallbackHelper;
import org.troupe.idl.Hosted.MemberCallbackPOA;
import org.troupe.idl.Hosted.QueryOutcome;
import org.troupe.idl.Hosted.Refused;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * Hosted members through the plain IDL ({@code idl/TroupeHosted.idl}) from a client with only
 * the generated stubs and its own ORB, against a real server on 127.0.0.1 (heartbeat 200 ms,
 * suspect 1500 ms); Java members use the member library, each with its own ORB.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostedMemberTest {
    private static final long SUSPECT_MS = 1500;
    private static final long WAIT_MS = 10_000;

    private static TroupeServer server;
    private static String url;
    private static ApplicationProtocol teleTeaching;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        server = TroupeServer.start(new ServerSettings("127.0.0.1", port, false, ChannelSettings.defaults(),
                new GroupSettings(200, SUSPECT_MS, 1 << 16)));
        url = "127.0.0.1:" + port;
        teleTeaching = ProtocolLoader.loadBundled("tele-teaching");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ViewChange awaitView(Group g, java.util.function.Predicate<ViewChange> match, long ms)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < deadline) {
            if (g.receive(Duration.ofMillis(50)) instanceof ViewChange v && match.test(v)) {
                return v;
            }
        }
        throw new AssertionError(g + ": no such view within " + ms + " ms; now " + g.view());
    }

    @Test
    void hostedMemberDeliversTheSameSequenceAsAJavaMember() throws Exception {
        try (Troupe jo = Troupe.connect(url); IdlClient client = new IdlClient(url)) {
            jo.createGroup("chat", GroupSpec.parse("chat", "Peer:1:n", "Text"));
            Group java = jo.join("chat", "Peer", "jo");
            HostedMember ann = client.factory.host_member("chat", "Peer", "ann", null);
            MemberInfo me = ann.me();
            assertEquals("ann", me.name);
            IdlClient.Puller pull = client.pull(ann, "ann");
            List<Delivery> first = pull.await(ds -> !ds.isEmpty(), "first delivery", WAIT_MS);
            assertEquals(DeliveryKind.VIEW_DELIVERY, first.get(0).discriminator(), "JOIN_MODE: its own view first");
            long joinSeq = first.get(0).view().sequence_id;
            awaitView(java, v -> v.view().member(me.id) != null, WAIT_MS);
            int n = 40;
            for (int i = 0; i < n; i++) {
                java.send("Text", utf8("jo " + i));
                ann.send("Text", utf8("ann " + i), IdlClient.toGroup());
            }
            List<Delivery> hosted = IdlClient.messages(pull.await(ds -> IdlClient.messages(ds).size() >= 2 * n,
                    "all messages", WAIT_MS));
            List<String> javaSeen = new ArrayList<>();
            while (javaSeen.size() < 2 * n) {
                if (java.receive(Duration.ofSeconds(10)) instanceof Received r && r.sequenceId() > joinSeq) {
                    javaSeen.add(r.sequenceId() + " " + r.sender().name() + " " + r.text());
                }
            }
            List<String> hostedSeen = hosted.stream().map(d -> d.message().sequence_id + " "
                    + d.message().sender.name + " " + IdlClient.text(d)).toList();
            assertEquals(javaSeen, hostedSeen, "one order for the hosted member and the Java member");
            for (String who : List.of("jo", "ann")) {   // FIFO per sender
                List<String> mine = hostedSeen.stream().filter(s -> s.split(" ")[1].equals(who))
                        .map(s -> s.substring(s.indexOf(' ') + 1)).toList();
                for (int i = 0; i < n; i++) {
                    assertEquals(who + " " + who + " " + i, mine.get(i));
                }
            }
            ann.leave();
            awaitView(java, v -> v.removed(me.id), WAIT_MS);
            List<Delivery> end = pull.await(ds -> IdlClient.count(ds, DeliveryKind.CLOSED_DELIVERY) == 1,
                    "CLOSED delivery", WAIT_MS);
            assertEquals(DeliveryKind.CLOSED_DELIVERY, end.get(end.size() - 1).discriminator());
            assertEquals("left group chat", end.get(end.size() - 1).reason());
            assertThrows(Closed.class, () -> ann.send("Text", utf8("late"), IdlClient.toGroup()));
            java.leave();
        }
    }

    @Test
    void studentsGetQuestionsNeverAnswersAndAnswersAreCorrelated() throws Exception {
        try (Troupe t = Troupe.connect(url); IdlClient client = new IdlClient(url)) {
            t.createGroup("class-1", teleTeaching);
            Group tess = t.join("class-1", "Teacher", "tess");
            HostedMember h1 = client.factory.host_member("class-1", "Student", "h1", null);
            IdlClient.Puller p1 = client.pull(h1, "h1");
            Pushed pushed = new Pushed(0, false);
            MemberCallback cb = MemberCallbackHelper.narrow(client.poa.servant_to_reference(pushed));
            HostedMember h2 = client.factory.host_member("class-1", "Student", "h2", cb);
            assertThrows(Invalid.class, () -> h2.receive(10, 10), "a push member does not pull");
            awaitView(tess, v -> v.view().count("Student") == 2, WAIT_MS);

            Query q = tess.ask("Question", utf8("2+2?"));
            Delivery q1 = IdlClient.messages(p1.await(ds -> IdlClient.messages(ds).size() == 1, "Question",
                    WAIT_MS)).get(0);
            Delivery q2 = IdlClient.messages(pushed.await(ds -> IdlClient.messages(ds).size() == 1, WAIT_MS)).get(0);
            for (Delivery d : List.of(q1, q2)) {
                assertEquals("Question", d.message().message_type);
                assertEquals("2+2?", IdlClient.text(d));
                assertEquals("tess", d.message().sender.name);
                assertEquals(q.messageId(), d.message().ref.message_id);
            }
            assertEquals(q1.message().sequence_id, q2.message().sequence_id, "same place in the order");
            h1.reply(q1.message().ref, "Answer", utf8("4"));
            h2.reply(q2.message().ref, "Answer", utf8("vier"));
            assertTrue(q.await(Duration.ofSeconds(10)), "the Question completes");
            assertEquals(Query.Outcome.COMPLETE, q.outcome());
            assertEquals(List.of("h1", "h2"), q.responders().stream().map(m -> m.name()).sorted().toList());
            // a second Answer is refused by the group; the member stays in
            Refused again = assertThrows(Refused.class, () -> h1.reply(q1.message().ref, "Answer", utf8("5")));
            assertFalse(again.reason.isEmpty());
            tess.send("Formula", utf8("e=mc²"));
            p1.await(ds -> IdlClient.messages(ds).size() == 2, "Formula", WAIT_MS);
            pushed.await(ds -> IdlClient.messages(ds).size() == 2, WAIT_MS);
            for (List<Delivery> ds : List.of(p1.all(), pushed.all())) {
                List<String> types = IdlClient.messages(ds).stream().map(d -> d.message().message_type).toList();
                assertEquals(List.of("Question", "Formula"), types, "Students never get Answers: " +
                        IdlClient.describe(ds));
            }
            h1.leave();
            h2.leave();
            tess.leave();
        }
    }

    @Test
    void aHostedTeacherAsksAndGetsTheAnswerThenTheQueryCompletion() throws Exception {
        try (Troupe t = Troupe.connect(url); IdlClient client = new IdlClient(url)) {
            t.createGroup("class-2", teleTeaching);
            HostedMember teacher = client.factory.host_member("class-2", "Teacher", "Tess Grüße", null);
            IdlClient.Puller pt = client.pull(teacher, "teacher");
            Group sam = t.join("class-2", "Student", "Sam 你好");
            pt.await(ds -> IdlClient.count(ds, DeliveryKind.VIEW_DELIVERY) == 2, "the Student's view", WAIT_MS);
            long qid = teacher.ask("Question", utf8("Grüße?"), IdlClient.toGroup());
            Received question;
            do {
                question = sam.receive(Duration.ofSeconds(10)) instanceof Received r ? r : null;
            } while (question == null);
            assertEquals("Tess Grüße", question.sender().name());
            assertEquals("Grüße?", question.text());
            sam.reply(question, "Answer", utf8("你好 ✓"));
            List<Delivery> ds = pt.await(l -> IdlClient.count(l, DeliveryKind.QUERY_DELIVERY) == 1, "completion",
                    WAIT_MS);
            // the Question goes to the Students only (filtered at the source): the Teacher gets the
            // Answer, then the completion of its query
            List<Delivery> tail = ds.subList(ds.size() - 2, ds.size());
            assertEquals(0, IdlClient.messages(ds).stream().filter(d -> d.message().message_type.equals("Question"))
                    .count(), IdlClient.describe(ds));
            Delivery answer = tail.get(0);
            Delivery done = tail.get(1);
            assertEquals("Answer", answer.message().message_type, IdlClient.describe(ds));
            assertEquals("你好 ✓", IdlClient.text(answer));
            assertEquals("Sam 你好", answer.message().sender.name);
            assertTrue(answer.message().is_response);
            assertEquals(qid, answer.message().answers.message_id);
            assertEquals(qid, done.query().query);
            assertEquals(QueryOutcome.QUERY_COMPLETE, done.query().outcome);
            assertEquals("Sam 你好", done.query().responders[0].name);
            assertEquals(0, done.query().missing.length);
            teacher.leave();
            sam.leave();
        }
    }

    @Test
    void refusalsAreIdlExceptionsWithTheJavaMessages() throws Exception {
        try (Troupe t = Troupe.connect(url); IdlClient client = new IdlClient(url)) {
            t.createGroup("class-3", teleTeaching);
            Group tess = t.join("class-3", "Teacher", "tess");
            assertThrows(UnknownGroup.class, () -> client.factory.host_member("nope", "Student", "x", null));
            JoinRefused full = assertThrows(JoinRefused.class,
                    () -> client.factory.host_member("class-3", "Teacher", "tom", null));
            assertEquals("role Teacher of group class-3 is full (max 1)", full.reason);
            JoinRefused role = assertThrows(JoinRefused.class,
                    () -> client.factory.host_member("class-3", "Janitor", "jim", null));
            assertTrue(role.reason.startsWith("group class-3 has no role 'Janitor'"), role.reason);
            JoinRefused twice = assertThrows(JoinRefused.class,
                    () -> client.factory.host_member("class-3", "Student", "tess", null));
            assertTrue(twice.reason.contains("'tess' is already a member of group class-3"), twice.reason);

            HostedMember ann = client.factory.host_member("class-3", "Student", "ann", null);
            IdlClient.Puller p = client.pull(ann, "ann");
            Invalid notAllowed = assertThrows(Invalid.class,
                    () -> ann.send("Question", utf8("?"), IdlClient.toGroup()));
            assertTrue(notAllowed.reason.startsWith("role Student may not send a Question in group class-3"),
                    notAllowed.reason);
            Invalid noType = assertThrows(Invalid.class, () -> ann.send("Gossip", utf8("?"), IdlClient.toGroup()));
            assertTrue(noType.reason.startsWith("group class-3 has no message type 'Gossip'"), noType.reason);
            Invalid tooBig = assertThrows(Invalid.class,
                    () -> ann.send("Doubt", new byte[(1 << 16) + 1], IdlClient.toGroup()));
            assertTrue(tooBig.reason.contains("over group class-3's limit of 65536 bytes"), tooBig.reason);
            Invalid noQuery = assertThrows(Invalid.class,
                    () -> ann.reply(new MessageRef(1, 99), "Answer", utf8("4")));
            assertTrue(noQuery.reason.startsWith("no message 1/99 delivered"), noQuery.reason);
            // and the member is still in: it gets the next Question and can answer it
            Query q = tess.ask("Question", utf8("3+3?"));
            Delivery d = IdlClient.messages(p.await(ds -> !IdlClient.messages(ds).isEmpty(), "Question", WAIT_MS))
                    .get(0);
            ann.reply(d.message().ref, "Answer", utf8("6"));
            assertTrue(q.await(Duration.ofSeconds(10)));
            assertEquals(Query.Outcome.COMPLETE, q.outcome());
            ann.leave();
            tess.leave();
        }
    }

    @Test
    void aClientThatStopsCallingIsRemovedWithinTheSuspectTime() throws Exception {
        try (Troupe t = Troupe.connect(url); IdlClient client = new IdlClient(url)) {
            t.createGroup("class-4", teleTeaching);
            Group tess = t.join("class-4", "Teacher", "tess");
            HostedMember ann = client.factory.host_member("class-4", "Student", "ann", null);
            long annId = ann.me().id;
            IdlClient.Puller p = client.pull(ann, "ann");
            awaitView(tess, v -> v.view().member(annId) != null, WAIT_MS);
            Thread.sleep(2 * SUSPECT_MS);   // pulling proves life: still in
            assertTrue(tess.view().member(annId) != null, "a pulling client stays in");
            Query q = tess.ask("Question", utf8("still there?"));
            p.await(ds -> !IdlClient.messages(ds).isEmpty(), "Question", WAIT_MS);
            p.stop();                         // the client goes silent (as if crashed)
            long silentSince = System.nanoTime();
            awaitView(tess, v -> v.removed(annId), WAIT_MS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);
            assertTrue(ms <= SUSPECT_MS + GroupSettings.REAPER_PERIOD_MS + 1000, "removed after " + ms + " ms");
            assertTrue(q.await(Duration.ofSeconds(10)), "the Question completes without it");
            assertEquals(Query.Outcome.COMPLETE, q.outcome());
            assertEquals(0, q.responders().size());
            // the client comes back: it reads the CLOSED delivery, then Closed
            List<Delivery> rest = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (IdlClient.count(rest, DeliveryKind.CLOSED_DELIVERY) == 0 && System.nanoTime() < deadline) {
                rest.addAll(List.of(ann.receive(100, 200)));
            }
            Delivery closed = rest.get(rest.size() - 1);
            assertEquals(DeliveryKind.CLOSED_DELIVERY, closed.discriminator());
            assertTrue(Pattern.compile("silent .* for more than 1500 ms").matcher(closed.reason()).find(),
                    closed.reason());
            Closed again = assertThrows(Closed.class, () -> ann.receive(1, 1));
            assertEquals(closed.reason(), again.reason);
            tess.leave();
        }
    }

    /** True while a thread waits for room in a hosted member's full outbox. */
    private static boolean waitingForRoomInAnOutbox() {
        for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getState() != Thread.State.TIMED_WAITING) {
                continue;
            }
            for (StackTraceElement f : e.getValue()) {
                if (f.getClassName().equals(Outbox.class.getName()) && f.getMethodName().equals("put")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aClientThatTakesNothingHoldsUpNoOtherHostedMember() throws Exception {
        try (Troupe t = Troupe.connect(url); IdlClient client = new IdlClient(url)) {
            t.createGroup("heavy", GroupSpec.parse("heavy", "Peer:1:n", "Text"));
            t.createGroup("light", GroupSpec.parse("light", "Peer:1:n", "Text"));
            Group jo = t.join("heavy", "Peer", "jo", org.troupe.member.JoinOptions.defaults().selfDiscard(true));
            Group bo = t.join("light", "Peer", "bo", org.troupe.member.JoinOptions.defaults().selfDiscard(true));
            // every hosted member of the server shares one connection to it
            HostedMember lazy = client.factory.host_member("heavy", "Peer", "lazy", null); // pings, never receives
            HostedMember busy = client.factory.host_member("light", "Peer", "busy", null);
            long lazyId = lazy.me().id;
            IdlClient.Puller pull = client.pull(busy, "busy");
            awaitView(jo, v -> v.view().member(lazyId) != null, WAIT_MS);
            java.util.concurrent.atomic.AtomicBoolean pinging = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread pinger = new Thread(() -> {
                while (pinging.get()) {
                    try {
                        lazy.ping(); // alive, so only its full outbox can get it removed
                        Thread.sleep(100);
                    } catch (Closed | InterruptedException | org.omg.CORBA.SystemException e) {
                        return;
                    }
                }
            });
            pinger.start();
            try {
                for (int i = 0; i < Outbox.CAPACITY + 50; i++) {
                    jo.send("Text", utf8("m" + i));
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
                while (!waitingForRoomInAnOutbox() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertTrue(waitingForRoomInAnOutbox(), "lazy's deliveries wait for room in its outbox");
                bo.send("Text", utf8("for busy"));
                pull.await(ds -> IdlClient.messages(ds).stream().anyMatch(d -> IdlClient.text(d).equals("for busy")),
                        "busy's message", WAIT_MS);
                assertTrue(waitingForRoomInAnOutbox(), "busy got its message while lazy's deliveries still waited");
                // and lazy, which let its deliveries wait for the suspect time, is removed
                awaitView(jo, v -> v.removed(lazyId), WAIT_MS);
                Closed why = assertThrows(Closed.class, () -> lazy.ping());
                assertTrue(why.reason.contains("let " + Outbox.CAPACITY + " deliveries wait"), why.reason);
            } finally {
                pinging.set(false);
                pinger.join(5000);
            }
            jo.leave();
            bo.leave();
        }
    }

    @Test
    void aFailingOrTooSlowCallbackGetsTheMemberRemoved() throws Exception {
        try (Troupe t = Troupe.connect(url); IdlClient client = new IdlClient(url)) {
            t.createGroup("class-5", teleTeaching);
            Group tess = t.join("class-5", "Teacher", "tess");
            Pushed failing = new Pushed(1, false);   // raises on its first message
            Pushed slow = new Pushed(1, true);       // sleeps past the suspect time on its first message
            Pushed fine = new Pushed(0, false);
            HostedMember f = client.factory.host_member("class-5", "Student", "failing",
                    MemberCallbackHelper.narrow(client.poa.servant_to_reference(failing)));
            HostedMember s = client.factory.host_member("class-5", "Student", "slow",
                    MemberCallbackHelper.narrow(client.poa.servant_to_reference(slow)));
            HostedMember ok = client.factory.host_member("class-5", "Student", "fine",
                    MemberCallbackHelper.narrow(client.poa.servant_to_reference(fine)));
            long fid = f.me().id;
            long sid = s.me().id;
            long okId = ok.me().id;
            awaitView(tess, v -> v.view().count("Student") == 3, WAIT_MS);
            Thread.sleep(2 * SUSPECT_MS);   // idle: empty probes keep push members in
            assertEquals(3, tess.view().count("Student"), "probed push members stay in");
            assertTrue(fine.probes() > 0, "idle push members get empty probes");
            tess.send("Formula", utf8("a²+b²=c²"));
            awaitView(tess, v -> v.removed(fid), WAIT_MS);
            awaitView(tess, v -> v.removed(sid), WAIT_MS);
            assertTrue(tess.view().member(okId) != null, "the healthy push member stays");
            assertEquals(1, IdlClient.messages(fine.await(ds -> IdlClient.messages(ds).size() == 1, WAIT_MS)).size());
            Closed why = assertThrows(Closed.class, () -> f.ping());
            assertTrue(why.reason.startsWith("its callback failed"), why.reason);
            Closed slowWhy = assertThrows(Closed.class, () -> s.ping());
            assertTrue(slowWhy.reason.startsWith("its callback did not return in time"), slowWhy.reason);
            ok.leave();
            tess.leave();
        }
    }

    @Test
    void hostedMembersHaveUnguessableObjectKeys() throws Exception {
        try (Troupe t = Troupe.connect(url); IdlClient client = new IdlClient(url)) {
            t.createGroup("class-6", teleTeaching);
            HostedMember a = client.factory.host_member("class-6", "Student", "a", null);
            HostedMember b = client.factory.host_member("class-6", "Student", "b", null);
            String ka = key(client, a);
            String kb = key(client, b);
            assertTrue(Pattern.compile("member\\.[0-9a-f]{32}").matcher(ka).find(), ka);
            assertNotEquals(ka, kb);
            a.leave();
            b.leave();
        }
    }

    private static String key(IdlClient client, org.omg.CORBA.Object ref) {
        byte[] k = new org.jacorb.orb.ParsedIOR((org.jacorb.orb.ORB) client.orb, client.orb.object_to_string(ref))
                .get_object_key();
        return new String(k, StandardCharsets.ISO_8859_1);
    }

    /** A MemberCallback that records what it is pushed, and fails or stalls on its Nth message if told. */
    static final class Pushed extends MemberCallbackPOA {
        private final int misbehaveAt;
        private final boolean slow;
        private final List<Delivery> got = new ArrayList<>();
        private int probes;

        Pushed(int misbehaveAt, boolean slow) {
            this.misbehaveAt = misbehaveAt;
            this.slow = slow;
        }

        @Override
        public void deliver(Delivery[] deliveries) {
            synchronized (this) {
                if (deliveries.length == 0) {
                    probes++;
                    return;
                }
                got.addAll(List.of(deliveries));
                notifyAll();
            }
            if (misbehaveAt > 0 && IdlClient.messages(all()).size() >= misbehaveAt) {
                if (slow) {
                    try {
                        Thread.sleep(3 * SUSPECT_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    throw new org.omg.CORBA.NO_RESOURCES("the test's callback fails");
                }
            }
        }

        synchronized int probes() {
            return probes;
        }

        synchronized List<Delivery> all() {
            return List.copyOf(got);
        }

        synchronized List<Delivery> await(java.util.function.Predicate<List<Delivery>> match, long ms)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (!match.test(got)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("callback: not matched within " + ms + " ms; got "
                            + IdlClient.describe(got));
                }
                wait(Math.min(left, 100));
            }
            return List.copyOf(got);
        }
    }
}
