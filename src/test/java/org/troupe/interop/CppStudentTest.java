package org.troupe.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.member.Group;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * The C++ Student ({@code examples/cpp/build/troupe-student}, omniORB, a hosted member) in a
 * mixed tele-teaching group on a real server: a Java Teacher, two C++ Students (processes) and a
 * Java Student. Every Student's deliveries are checked against the guarantees; one C++ Student is
 * killed with SIGKILL mid-question; non-ASCII names and text go both ways; SIGTERM and end of
 * input leave the group.
 */
@Tag("process")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CppStudentTest {
    private static final Logger LOG = LoggerFactory.getLogger(CppStudentTest.class);
    private static final Path CPP_DIR = CppExamples.DIR;
    private static final Path STUDENT = CPP_DIR.resolve("build").resolve("troupe-student");
    private static final long SUSPECT_MS = 2000;
    private static final long WAIT_MS = 20_000;

    private static TroupeServer server;
    private static String url;
    private static ApplicationProtocol teleTeaching;

    @BeforeAll
    static void buildAndStart() throws Exception {
        CppExamples.build("the C++ Student test");
        int port = JavaProcess.freePort();
        server = TroupeServer.start(new ServerSettings("127.0.0.1", port, false, ChannelSettings.defaults(),
                new GroupSettings(500, SUSPECT_MS, 1 << 20)));
        url = "127.0.0.1:" + port;
        teleTeaching = ProtocolLoader.loadBundled("tele-teaching");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JavaProcess student(String group, String name, String template) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(STUDENT.toString(), "--server", url, "--group", group, "--name",
                name));
        if (template != null) {
            cmd.add("--answer-template");
            cmd.add(template);
        }
        return JavaProcess.startCommand("troupe-student-" + name, cmd);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ViewChange awaitView(Group g, Predicate<ViewChange> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() < deadline) {
            if (g.receive(Duration.ofMillis(50)) instanceof ViewChange v && match.test(v)) {
                return v;
            }
        }
        throw new AssertionError(g + ": no such view within " + WAIT_MS + " ms; now " + g.view());
    }

    private static List<WatchLine> parsed(JavaProcess p, String tag) {
        return p.lines().stream().map(WatchLine::parse).filter(l -> l.is(tag)).toList();
    }

    /** Waits until {@code p} printed {@code n} lines tagged {@code tag}. */
    private static List<WatchLine> await(JavaProcess p, String tag, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (parsed(p, tag).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(p.name() + ": fewer than " + n + " " + tag + " lines\n" + p.describe());
            }
            Thread.sleep(20);
        }
        return parsed(p, tag);
    }

    /** Receives at {@code g} (a Java Student) until it has {@code n} Questions; everything it got. */
    private static List<Received> questions(Group g, List<Received> got, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (got.stream().filter(r -> r.type().equals("Question")).count() < n) {
            assertTrue(System.nanoTime() < deadline, "the Java Student got " + got);
            Delivery d = g.receive(Duration.ofMillis(50));
            if (d instanceof Received r) {
                got.add(r);
                if (r.type().equals("Question")) {
                    g.reply(r, "Answer", utf8("java " + r.text()));
                }
            }
        }
        return got;
    }

    @Test
    void javaTeacherWithCppAndJavaStudentsOneCppStudentKilledMidQuestion() throws Exception {
        String group = "mixed";
        try (Troupe t = Troupe.connect(url); Troupe s = Troupe.connect(url)) {
            t.createGroup(group, teleTeaching);
        }
        try (Troupe t = Troupe.connect(url); Troupe s = Troupe.connect(url);
                JavaProcess cppAuto = student(group, "cpp-auto", "auto {id}: {question}");
                JavaProcess cppStdin = student(group, "cpp-stdin", null)) {
            Group tess = t.join(group, "Teacher", "tess");
            long autoId = WatchLine.parse(cppAuto.awaitPrefix("JOINED", WAIT_MS)).num("member");
            long stdinId = WatchLine.parse(cppStdin.awaitPrefix("JOINED", WAIT_MS)).num("member");
            Group jan = s.join(group, "Student", "jan");
            awaitView(tess, v -> v.view().count("Student") == 3);
            List<Received> janGot = new ArrayList<>();

            int rounds = 3;
            List<Long> questionIds = new ArrayList<>();
            for (int i = 1; i <= rounds; i++) {
                Query q = tess.ask("Question", utf8("q" + i));
                questionIds.add(q.messageId());
                await(cppStdin, "QUESTION", i);
                cppStdin.send("stdin " + i);
                questions(jan, janGot, i);
                assertTrue(q.await(Duration.ofSeconds(20)), "Question " + i + " completes: " + q);
                assertEquals(Query.Outcome.COMPLETE, q.outcome());
                Set<String> responders = new HashSet<>();
                q.responders().forEach(m -> responders.add(m.name()));
                assertEquals(Set.of("cpp-auto", "cpp-stdin", "jan"), responders);
                Set<String> answers = new HashSet<>();
                q.responses().forEach(r -> answers.add(r.sender().name() + ": " + r.text()));
                assertEquals(Set.of("cpp-auto: auto " + q.messageId() + ": q" + i, "cpp-stdin: stdin " + i,
                        "jan: java q" + i), answers);
            }
            // the same Questions, in the same order, at the same sequence ids, at every Student
            List<String> javaOrder = janGot.stream().filter(r -> r.type().equals("Question"))
                    .map(r -> r.sequenceId() + " " + r.sender().name() + " " + r.text() + " " + r.message().messageId())
                    .toList();
            for (JavaProcess cpp : List.of(cppAuto, cppStdin)) {
                List<String> cppOrder = parsed(cpp, "QUESTION").stream().map(l -> l.get("seq") + " " + l.get("from")
                        + " " + l.get("text") + " " + l.get("ref").split("/")[1]).toList();
                assertEquals(javaOrder, cppOrder, cpp.describe());
                // the group took the last Answer before the program printed it: wait for the line
                assertEquals(rounds, await(cpp, "ANSWERED", rounds).size(), cpp.describe());
                assertTrue(parsed(cpp, "MESSAGE").isEmpty(), "Answers go to the Teacher only\n" + cpp.describe());
                assertTrue(parsed(cpp, "REFUSED").isEmpty(), cpp.describe());
            }
            assertTrue(janGot.stream().noneMatch(r -> r.type().equals("Answer")), "Answers go to the Teacher only");

            // SIGKILL one C++ Student mid-question: it is removed within the bound; the Question completes
            Query last = tess.ask("Question", utf8("last"));
            await(cppStdin, "QUESTION", rounds + 1);
            questions(jan, janGot, rounds + 1);
            await(cppAuto, "ANSWERED", rounds + 1);
            long killedAt = System.nanoTime();
            cppStdin.signal("KILL");
            ViewChange gone = awaitView(tess, v -> v.removed(stdinId));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            LOG.info("the killed C++ Student was removed after {} ms (suspect {} ms)", ms, SUSPECT_MS);
            assertTrue(ms <= SUSPECT_MS + GroupSettings.REAPER_PERIOD_MS + 1500, "removed after " + ms + " ms");
            assertTrue(gone.left().stream().anyMatch(m -> m.id() == stdinId), "hosted members leave as LEFT: " + gone);
            assertTrue(last.await(Duration.ofSeconds(20)), "the last Question completes without it");
            assertEquals(Query.Outcome.COMPLETE, last.outcome());
            assertEquals(Set.of("cpp-auto", "jan"), Set.copyOf(last.responders().stream().map(MemberInfo::name)
                    .toList()));
            assertTrue(last.missing().isEmpty(), "the killed Student no longer counts: " + last.missing());
            assertTrue(tess.view().member(autoId) != null, "the other C++ Student stays");
            jan.leave();
            tess.leave();
        }
    }

    @Test
    void nonAsciiNamesAndTextSurviveJavaToCppAndCppToJava() throws Exception {
        String group = "codesets";
        String teacher = "Tess Grüße";
        String zoe = "Zoë";
        String ni = "你好 学生";
        String question = "你好, Zoë: Grüße? ✓";
        try (Troupe t = Troupe.connect(url)) {
            t.createGroup(group, teleTeaching);
        }
        try (Troupe t = Troupe.connect(url);
                JavaProcess z = student(group, zoe, "Grüße von {name}: {question}");
                JavaProcess n = student(group, ni, null)) {
            Group tess = t.join(group, "Teacher", teacher);
            long zoeId = WatchLine.parse(z.awaitPrefix("JOINED", WAIT_MS)).num("member");
            n.awaitPrefix("JOINED", WAIT_MS);
            ViewChange both = awaitView(tess, v -> v.view().count("Student") == 2);
            Set<String> names = new HashSet<>();
            both.view().members().forEach(m -> names.add(m.name()));
            assertEquals(Set.of(teacher, zoe, ni), names, "C++ -> Java: names in the views");
            assertEquals(zoe, WatchLine.parse(z.awaitPrefix("JOINED", WAIT_MS)).get("name"), z.describe());
            Query q = tess.ask("Question", utf8(question));
            WatchLine zq = await(z, "QUESTION", 1).get(0);
            WatchLine nq = await(n, "QUESTION", 1).get(0);
            for (WatchLine l : List.of(zq, nq)) {
                assertEquals(teacher, l.get("from"), "Java -> C++: the sender's name");
                assertEquals(question, l.get("text"), "Java -> C++: the text");
            }
            assertTrue(z.lines().stream().anyMatch(l -> l.startsWith("VIEW") && l.contains("\"" + teacher + "\"")),
                    z.describe());
            n.send("Antwort: schön, 谢谢");
            assertTrue(q.await(Duration.ofSeconds(20)), q.toString());
            Set<String> answers = new HashSet<>();
            q.responses().forEach(r -> answers.add(r.sender().name() + ": " + r.text()));
            assertEquals(Set.of(zoe + ": Grüße von " + zoe + ": " + question, ni + ": Antwort: schön, 谢谢"), answers,
                    "C++ -> Java: names and text");

            // SIGTERM: leaves the group; end of input: leaves too
            z.signal("TERM");
            assertEquals(0, z.awaitExit(WAIT_MS), z.describe());
            assertTrue(z.lines().get(z.lines().size() - 1).startsWith("END reason=\"SIGTERM\""), z.describe());
            awaitView(tess, v -> v.removed(zoeId));
            n.closeInput();
            assertEquals(0, n.awaitExit(WAIT_MS), n.describe());
            assertTrue(n.lines().get(n.lines().size() - 1).startsWith("END reason=\"eof\""), n.describe());
            awaitView(tess, v -> v.view().count("Student") == 0);
            assertFalse(z.isAlive());
            tess.leave();
        }
    }
}
