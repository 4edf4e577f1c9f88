package org.troupe.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.idl.Events.EventChannelFactory;
import org.troupe.idl.Events.EventChannelFactoryHelper;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.GroupViewHelper;
import org.troupe.idl.Groups.JoinGroup;
import org.troupe.idl.Groups.JoinGroupHelper;
import org.troupe.idl.Groups.LeaveGroup;
import org.troupe.idl.Groups.LeaveGroupHelper;
import org.troupe.idl.Groups.LeaveKind;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.SequenceMessageHelper;
import org.troupe.idl.Groups.SequenceMessageListHelper;
import org.troupe.idl.Groups.UpdateView;
import org.troupe.idl.Groups.UpdateViewHelper;
import org.troupe.member.Group;
import org.troupe.member.Troupe;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;
import org.troupe.orb.OrbFactory;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * The C++ watcher ({@code examples/cpp}, omniORB) against a real Troupe server on 127.0.0.1:
 * built with make, run as a separate process, connected to a group's channel as a plain
 * CosEventComm push consumer. Java members (their own ORBs) join a tele-teaching group and
 * exchange a Question and Answers with non-ASCII names and text; the watcher must print every
 * view, message and order, decoded, in the group's sequence. Also: every Troupe struct and a
 * MessageList (one event holding several messages), other anys, the channel's destruction,
 * SIGTERM, --for, and the errors.
 */
@Tag("process")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CppWatcherTest {
    private static final Logger LOG = LoggerFactory.getLogger(CppWatcherTest.class);
    private static final Path CPP_DIR = CppExamples.DIR;
    private static final Path WATCH = CPP_DIR.resolve("build").resolve("troupe-watch");
    private static final long WAIT_MS = 20_000;

    private static TroupeServer server;
    private static String url;
    private static ApplicationProtocol teleTeaching;

    @BeforeAll
    static void buildAndStart() throws Exception {
        CppExamples.build("the C++ watcher test");
        int port = JavaProcess.freePort();
        server = TroupeServer.start(new ServerSettings("127.0.0.1", port, false, ChannelSettings.defaults(),
                GroupSettings.defaults()));
        url = "127.0.0.1:" + port;
        teleTeaching = ProtocolLoader.loadBundled("tele-teaching");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JavaProcess watch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(WATCH.toString());
        cmd.addAll(List.of(args));
        return JavaProcess.startCommand("troupe-watch", cmd);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The next message delivered to {@code g} (views skipped), within 10 s. */
    private static Received nextMessage(Group g) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Delivery d = g.receive(Duration.ofMillis(200));
            if (d instanceof Received r) {
                return r;
            }
        }
        throw new AssertionError(g + ": no message within 10 s");
    }

    /** Waits (10 s) until {@code g} delivers a view change that matches. */
    private static ViewChange awaitView(Group g, Predicate<ViewChange> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Delivery d = g.receive(Duration.ofMillis(200));
            if (d instanceof ViewChange v && match.test(v)) {
                return v;
            }
        }
        throw new AssertionError(g + ": no such view within 10 s; current " + g.view());
    }

    private static List<WatchLine> parsed(JavaProcess w) {
        return w.lines().stream().map(WatchLine::parse).toList();
    }

    private static int indexOf(List<WatchLine> lines, Predicate<WatchLine> match, String what, JavaProcess w) {
        for (int i = 0; i < lines.size(); i++) {
            if (match.test(lines.get(i))) {
                return i;
            }
        }
        throw new AssertionError("the watcher printed no " + what + "\n" + w.describe());
    }

    @Test
    void watcherJoinsByServerAndGroupAndPrintsViewsMessagesAndOrderInSequenceWithNonAsciiText() throws Exception {
        String group = "cpp-class";
        String watcherName = "观察者 Grüße";   // C++ -> Java: in every member's view
        String teacherName = "Tess Grüße";    // Java -> C++: in the watcher's JOIN and VIEW lines
        String annName = "Ann 你好";
        String question = "Grüße, 你好: 2+2?";
        String annAnswer = "vier ✓";
        String bobAnswer = "four, \"quoted\"\tand tabbed";
        List<AutoCloseable> open = new ArrayList<>();
        try (Troupe admin = Troupe.connect(url)) {
            admin.createGroup(group, teleTeaching);
        }
        try (JavaProcess w = watch("--server", url, "--group", group, "--role", "Student", "--name", watcherName,
                "--for", "120")) {
            WatchLine watching = WatchLine.parse(w.awaitPrefix("WATCHING", WAIT_MS));
            long watcherId = watching.num("member");
            assertEquals(watcherName, watching.get("name"));

            Troupe tessConn = Troupe.connect(url);
            open.add(tessConn);
            Group tess = tessConn.join(group, "Teacher", teacherName);
            Troupe annConn = Troupe.connect(url);
            open.add(annConn);
            Group ann = annConn.join(group, "Student", annName);
            Troupe bobConn = Troupe.connect(url);
            open.add(bobConn);
            Group bob = bobConn.join(group, "Student", "Bob");

            MemberInfo watcherInTess = tess.view().member(watcherId);
            assertNotNull(watcherInTess, "the watcher is a member: " + tess.view());
            assertEquals(watcherName, watcherInTess.name(), "a non-ASCII name from C++ arrives intact in Java");
            assertEquals("Student", watcherInTess.role());

            long questionId = tess.ask("Question", utf8(question)).messageId();
            Received atAnn = nextMessage(ann);
            Received atBob = nextMessage(bob);
            assertEquals(question, atAnn.text());
            ann.reply(atAnn, "Answer", utf8(annAnswer));
            bob.reply(atBob, "Answer", utf8(bobAnswer));
            java.util.Set<String> atTess = new java.util.HashSet<>();
            for (int i = 0; i < 2; i++) {
                atTess.add(nextMessage(tess).text());
            }
            assertEquals(java.util.Set.of(annAnswer, bobAnswer), atTess, "the Teacher has both Answers");
            ann.leave();
            w.awaitLine(l -> l.startsWith("LEAVE") && l.contains("\"" + annName + "\""), "LEAVE of " + annName,
                    WAIT_MS);

            // SIGTERM: the watcher leaves the group and ends cleanly
            w.signal("TERM");
            assertEquals(0, w.awaitExit(WAIT_MS), w.describe());
            awaitView(tess, v -> v.left().stream().anyMatch(m -> m.id() == watcherId));
            assertTrue(w.stderr().isBlank(), "nothing on stderr:\n" + w.describe());

            List<WatchLine> lines = parsed(w);
            long tessId = tess.me().id();
            long annId = ann.me().id();
            long bobId = bob.me().id();
            assertEquals("END reason=SIGTERM", lines.get(lines.size() - 1).raw());

            // joins: names, roles and ids as the Java members know them
            for (MemberInfo m : List.of(tess.me(), ann.me(), bob.me())) {
                WatchLine join = lines.get(indexOf(lines, l -> l.is("JOIN") && l.num("member") == m.id(),
                        "JOIN of " + m, w));
                assertEquals(m.name(), join.get("name"), join.raw());
                assertEquals(m.role(), join.get("role"), join.raw());
            }
            WatchLine leave = lines.get(indexOf(lines, l -> l.is("LEAVE"), "LEAVE", w));
            assertEquals(annId, leave.num("member"));
            assertEquals("LEFT", leave.get("kind"));

            // the Question: its Message, then its order
            int qMsg = indexOf(lines, l -> l.is("MSG") && l.get("type").equals("Question"), "Question MSG", w);
            WatchLine q = lines.get(qMsg);
            assertEquals(tessId, q.num("sender"));
            assertEquals(questionId, q.num("msg"));
            assertEquals("proactive", q.get("kind"));
            assertEquals("sequenced", q.get("order"));
            assertEquals(question, q.get("text"));
            assertEquals(utf8(question).length, q.num("bytes"));
            int qSeq = indexOf(lines, l -> l.is("SEQ") && l.num("sender") == tessId && l.num("msg") == questionId,
                    "SEQ of the Question", w);
            assertTrue(qSeq > qMsg, "the order comes after its message");

            // the Answers go to the Teacher only: the watcher, a Student, reads its own audience
            // (its consumer is connected through its ticket's channel), so it is not sent them
            assertTrue(lines.stream().noneMatch(l -> l.is("MSG") && l.get("type").equals("Answer")),
                    "a Student's watcher is not sent the Answers, which are for the Teacher\n" + w.describe());
            for (String text : List.of(annAnswer, bobAnswer)) {
                assertTrue(w.lines().stream().noneMatch(l -> l.contains(text)), text + "\n" + w.describe());
            }

            // one sequence for views and orders: consecutive from the watcher's own view on
            long expected = watching.num("seq") + 1;
            for (WatchLine l : lines) {
                if (l.is("VIEW") || l.is("SEQ")) {
                    assertEquals(expected, l.num("seq"), "sequence ids in order, no gap: " + l.raw() + "\n"
                            + w.describe());
                    expected++;
                }
                if (l.is("SEQ")) { // every order follows its message
                    long s = l.num("sender");
                    long m = l.num("msg");
                    assertTrue(lines.subList(0, lines.indexOf(l)).stream()
                            .anyMatch(x -> x.is("MSG") && x.num("sender") == s && x.num("msg") == m), l.raw());
                }
            }
            WatchLine lastView = null;
            for (WatchLine l : lines) {
                if (l.is("VIEW")) {
                    lastView = l;
                }
            }
            assertNotNull(lastView);
            assertTrue(lastView.get("members").contains("\"" + teacherName + "\":\"Teacher\""), lastView.raw());
            assertTrue(!lastView.get("members").contains(annName), "Ann left: " + lastView.raw());
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    private static Message message(long source, long id, String type, byte[] payload) {
        return new Message(id, source, new Address(AddressKind.TO_ROLE, "Teacher", 0), type, payload, true,
                new MessageRef(0, 0), true, 0);
    }

    private static SequenceMessage order(long source, long id, long seq) {
        return new SequenceMessage(id, source, seq, new Address(AddressKind.TO_MEMBER, "", 3), "Answer");
    }

    @Test
    void everyTroupeStructAndAMessageListThroughAPlainChannelThenItsDestructionEndsTheWatcher() throws Exception {
        String name = "cpp-watch-kinds";
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 10_000));
        try {
            EventChannelFactory factory = EventChannelFactoryHelper.narrow(
                    orb.string_to_object("corbaloc:iiop:" + url + "/" + OrbFactory.FACTORY_KEY));
            EventChannel ch = factory.create_channel(name);
            try (JavaProcess w = watch("--channel", "corbaloc:iiop:" + url + "/Troupe/channels/" + name,
                    "--for", "120")) {
                w.awaitPrefix("WATCHING channel", WAIT_MS);
                ProxyPushConsumer in = ch.for_suppliers().obtain_push_consumer();
                in.connect_push_supplier(null);

                List<Any> events = new ArrayList<>();
                Any a = orb.create_any(); // what a batched send publishes: one event, several messages
                MessageListHelper.insert(a, new Message[] {message(7, 1, "Question", utf8("eins")),
                    message(7, 2, "Question", utf8("zwei 二"))});
                events.add(a);
                a = orb.create_any();
                MessageHelper.insert(a, message(8, 1, "Blob", new byte[] {(byte) 0xff, 0, 0x41}));
                events.add(a);
                Message answer = message(9, 1, "Answer", utf8("vier ✓"));
                answer.is_proactive = false;
                answer.answers = new MessageRef(7, 1);
                answer.sequenced = false;
                answer.after = 11;
                a = orb.create_any(); // a response: reactive, implied order after its query's sequence id
                MessageHelper.insert(a, answer);
                events.add(a);
                a = orb.create_any();
                SequenceMessageHelper.insert(a, order(7, 1, 11));
                events.add(a);
                a = orb.create_any();
                SequenceMessageListHelper.insert(a, new SequenceMessage[] {order(7, 2, 12), order(8, 1, 13)});
                events.add(a);
                org.troupe.idl.Groups.MemberInfo zoe = new org.troupe.idl.Groups.MemberInfo(5, "Zoë 学生", "Student");
                a = orb.create_any();
                JoinGroupHelper.insert(a, new JoinGroup(zoe));
                events.add(a);
                a = orb.create_any();
                LeaveGroupHelper.insert(a, new LeaveGroup(zoe, LeaveKind.CRASHED));
                events.add(a);
                GroupView view = new GroupView(4, new org.troupe.idl.Groups.MemberInfo[] {
                    new org.troupe.idl.Groups.MemberInfo(1, "Tess", "Teacher")}, false, 0);
                a = orb.create_any();
                UpdateViewHelper.insert(a, new UpdateView(14, view, new JoinGroup[0],
                        new LeaveGroup[] {new LeaveGroup(zoe, LeaveKind.CRASHED)}));
                events.add(a);
                a = orb.create_any();
                a.insert_string("hello");
                events.add(a);
                a = orb.create_any();
                a.insert_long(42);
                events.add(a);
                a = orb.create_any();
                GroupViewHelper.insert(a, view);
                events.add(a);
                for (Any e : events) {
                    in.push(e);
                }
                w.awaitLine(l -> l.startsWith("OTHER kind=tk_struct"), "the last event", WAIT_MS);

                List<String> expected = List.of(
                        "WATCHING channel",
                        "MSG sender=7 msg=1 type=\"Question\" dest=role:\"Teacher\" kind=proactive answers=0:0"
                                + " order=sequenced after=0 bytes=4 text=\"eins\"",
                        "MSG sender=7 msg=2 type=\"Question\" dest=role:\"Teacher\" kind=proactive answers=0:0"
                                + " order=sequenced after=0 bytes=" + utf8("zwei 二").length + " text=\"zwei 二\"",
                        "MSG sender=8 msg=1 type=\"Blob\" dest=role:\"Teacher\" kind=proactive answers=0:0"
                                + " order=sequenced after=0 bytes=3 hex=ff0041",
                        "MSG sender=9 msg=1 type=\"Answer\" dest=role:\"Teacher\" kind=reactive answers=7:1"
                                + " order=implied after=11 bytes=" + utf8("vier ✓").length + " text=\"vier ✓\"",
                        "SEQ seq=11 sender=7 msg=1 type=\"Answer\" dest=member:3",
                        "SEQ seq=12 sender=7 msg=2 type=\"Answer\" dest=member:3",
                        "SEQ seq=13 sender=8 msg=1 type=\"Answer\" dest=member:3",
                        "JOIN member=5 name=\"Zoë 学生\" role=\"Student\"",
                        "LEAVE member=5 name=\"Zoë 学生\" role=\"Student\" kind=CRASHED",
                        "VIEW seq=14 view=4 complete=no sequencer=0 members=[1:\"Tess\":\"Teacher\"]",
                        "LEAVE seq=14 member=5 name=\"Zoë 学生\" role=\"Student\" kind=CRASHED",
                        "OTHER kind=tk_string value=\"hello\"",
                        "OTHER kind=tk_long",
                        "OTHER kind=tk_struct id=\"IDL:troupe.org/Troupe/Groups/GroupView:1.0\"");
                assertEquals(expected, w.lines(), w.describe());

                // the channel goes: the watcher is told (disconnect_push_consumer) and ends cleanly
                factory.destroy_channel(name);
                assertEquals(0, w.awaitExit(WAIT_MS), w.describe());
                assertEquals("END reason=disconnected", w.lines().get(w.lines().size() - 1));
                assertTrue(w.stderr().isBlank(), w.describe());
            }
        } finally {
            orb.shutdown(false);
        }
    }

    @Test
    void badArgumentsAndUnreachableServersGiveOneClearLineAndANonZeroExit() throws Exception {
        int closedPort = JavaProcess.freePort();
        try (Troupe admin = Troupe.connect(url)) {
            admin.createGroup("cpp-errors", teleTeaching);
        }
        record Case(int code, String stderrStart, List<String> args) {
        }
        List<Case> cases = List.of(
                new Case(2, "troupe-watch: give either --server URL --group NAME --role ROLE, or --channel REF",
                        List.of()),
                new Case(2, "troupe-watch: --for needs a positive number of seconds, not 'soon'",
                        List.of("--channel", "IOR:00", "--for", "soon")),
                new Case(2, "troupe-watch: unknown argument '--colour'", List.of("--colour", "red")),
                new Case(1, "troupe-watch: cannot reach the server at corbaloc:iiop:127.0.0.1:" + closedPort
                        + "/TroupeGroups: TRANSIENT", List.of("--server", "127.0.0.1:" + closedPort, "--group", "g",
                                "--role", "Student")),
                new Case(1, "troupe-watch: unknown group 'nope' at corbaloc:iiop:" + url + "/TroupeGroups",
                        List.of("--server", url, "--group", "nope", "--role", "Student")),
                new Case(2, "troupe-watch: --role is required with --server: the watcher joins group cpp-errors as a"
                        + " member (roles: Student, Teacher)", List.of("--server", url, "--group", "cpp-errors")),
                new Case(1, "troupe-watch: group cpp-errors has no role 'Janitor' (roles: Student, Teacher)",
                        List.of("--server", url, "--group", "cpp-errors", "--role", "Janitor")),
                new Case(1, "troupe-watch: bad channel reference", List.of("--channel", "IOR:nonsense")));
        for (Case c : cases) {
            try (JavaProcess w = watch(c.args().toArray(new String[0]))) {
                int code = w.awaitExit(WAIT_MS);
                String err = w.stderr().strip();
                assertEquals(c.code(), code, c.args() + "\n" + w.describe());
                assertTrue(err.startsWith(c.stderrStart()), c.args() + ": " + err);
                assertEquals(1, err.lines().count(), "one line: " + err);
                assertTrue(w.lines().isEmpty(), "nothing on stdout: " + w.describe());
            }
        }

        // --for: ends on its own, cleanly, and leaves the group
        try (JavaProcess w = watch("--server", url, "--group", "cpp-errors", "--role", "Student", "--for", "1")) {
            assertEquals(0, w.awaitExit(WAIT_MS), w.describe());
            assertEquals("END reason=timeout", w.lines().get(w.lines().size() - 1), w.describe());
        }
        try (Troupe admin = Troupe.connect(url)) {
            for (org.troupe.idl.Groups.GroupInfo g : admin.groups()) {
                if (g.name.equals("cpp-errors")) {
                    assertEquals(0, g.view.members.length, "the watcher left the group when its time was up");
                }
            }
        }
    }

    /**
     * Message sizes: a Message at the group's payload limit (1 MiB) fits omniORB's default GIOP
     * limit (giopMaxMsgSize, 2 MB); a MessageList event of three does not. A consumer with the
     * default limit refuses it (MARSHAL, GIOP MessageError), the channel sees COMM_FAILURE and
     * drops it as dead; troupe-watch raises the limit to 256 MiB and gets everything.
     */
    @Test
    void aBatchEventOverOmniOrbsDefault2MbLimitArrivesOnlyWithTheWatchersRaisedLimit() throws Exception {
        String name = "cpp-watch-big";
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 10_000));
        try {
            EventChannelFactory factory = EventChannelFactoryHelper.narrow(
                    orb.string_to_object("corbaloc:iiop:" + url + "/" + OrbFactory.FACTORY_KEY));
            EventChannel ch = factory.create_channel(name);
            String ref = "corbaloc:iiop:" + url + "/Troupe/channels/" + name;
            try (JavaProcess raised = watch("--channel", ref, "--for", "120");
                    JavaProcess omniDefault = watch("--channel", ref, "--for", "120",
                            "-ORBgiopMaxMsgSize", "2097152")) {
                raised.awaitPrefix("WATCHING channel", WAIT_MS);
                omniDefault.awaitPrefix("WATCHING channel", WAIT_MS);
                ProxyPushConsumer in = ch.for_suppliers().obtain_push_consumer();
                in.connect_push_supplier(null);
                byte[] big = new byte[GroupSettings.defaults().maxPayload()];
                java.util.Arrays.fill(big, (byte) 'x');
                Any one = orb.create_any();
                MessageHelper.insert(one, message(7, 1, "Question", big));
                in.push(one);
                Any three = orb.create_any();
                MessageListHelper.insert(three, new Message[] {message(7, 2, "Question", big),
                    message(7, 3, "Question", big), message(7, 4, "Question", big)});
                in.push(three);
                Any after = orb.create_any();
                after.insert_string("after");
                in.push(after);

                raised.awaitPrefix("OTHER kind=tk_string value=\"after\"", WAIT_MS);
                List<Long> ids = parsed(raised).stream().filter(l -> l.is("MSG")).map(l -> l.num("msg")).toList();
                assertEquals(List.of(1L, 2L, 3L, 4L), ids, "1 MiB Message and 3 MiB MessageList, with the raised limit");
                parsed(raised).stream().filter(l -> l.is("MSG"))
                        .forEach(l -> assertEquals(big.length, l.num("bytes"), l.raw().substring(0, 120)));

                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
                while (!omniDefault.stderr().contains("MARSHAL_MessageSizeExceedLimitOnServer")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(omniDefault.stderr().contains("MARSHAL_MessageSizeExceedLimitOnServer"),
                        omniDefault.describe());
                // the push of the 3 MiB list failed at the watcher (COMM_FAILURE): the channel cut it
                // off and, since it still answers, told it (disconnect_push_consumer)
                omniDefault.awaitPrefix("END reason=disconnected", WAIT_MS);
                List<WatchLine> got = parsed(omniDefault).stream().filter(l -> !l.is("END")).toList();
                assertEquals(2, got.size(), "only the 1 MiB Message fits omniORB's default 2 MB\n" + omniDefault.describe());
                assertEquals(1, got.get(1).num("msg"));
            }
            factory.destroy_channel(name);
        } finally {
            orb.shutdown(false);
        }
    }
}
