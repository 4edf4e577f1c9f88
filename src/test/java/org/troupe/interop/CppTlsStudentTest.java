package org.troupe.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.member.Group;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;

/**
 * The C++ Student (omniORB with its SSL transport) against TLS-only servers: it joins, gets a
 * Java Teacher's Question and answers it over TLS, trusting the test authority
 * ({@code TROUPE_TLS_CA}); where the server requires client certificates it shows its own
 * ({@code TROUPE_TLS_KEY}), and without one it is refused and says it cannot reach the server.
 */
@Tag("process")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CppTlsStudentTest {
    private static final long WAIT_MS = 20_000;
    @TempDir
    static Path dir;
    private static org.troupe.bench.ThrowAwayPki pki;
    private static TroupeServer server;
    private static TroupeServer mutual;

    @BeforeAll
    static void buildAndStart() throws Exception {
        CppExamples.build("the C++ Student over TLS test");
        assumeTrue(Files.exists(CppExamples.program("troupe-student")));
        pki = org.troupe.bench.ThrowAwayPki.create(dir);
        server = TroupeServer.start(settings(), pki.server(false));
        mutual = TroupeServer.start(settings(), pki.server(true));
    }

    private static ServerSettings settings() throws java.io.IOException {
        return new ServerSettings("127.0.0.1", JavaProcess.freePort(), false, ChannelSettings.defaults(),
                new GroupSettings(500, 2000, 1 << 20));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    private static String url(TroupeServer s) {
        return "127.0.0.1:" + s.settings().port();
    }

    private static JavaProcess student(TroupeServer s, String group, String name, boolean withKey) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "TROUPE_TLS_CA=" + pki.caPem));
        if (withKey) {
            cmd.add("TROUPE_TLS_KEY=" + pki.clientKeyPem);
        }
        cmd.addAll(List.of(CppExamples.program("troupe-student").toString(), "--server", url(s), "--group", group,
                "--name", name, "--answer-template", "{name} says 42 to {question}"));
        return JavaProcess.startCommand("troupe-student-" + name, cmd);
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

    private static void questionAnsweredOverTls(TroupeServer s, String group, boolean withKey) throws Exception {
        try (Troupe t = Troupe.connect(url(s), pki.clientWithCertificate())) {
            t.createGroup(group, ProtocolLoader.loadBundled("tele-teaching"));
            try (JavaProcess cpp = student(s, group, "cpp-ann", withKey)) {
                Group tess = t.join(group, "Teacher", "tess");
                cpp.awaitPrefix("JOINED", WAIT_MS);
                awaitView(tess, v -> v.view().count("Student") == 1);
                Query q = tess.ask("Question", "6 x 7?".getBytes(StandardCharsets.UTF_8));
                assertTrue(q.await(Duration.ofSeconds(20)), "the C++ Student answers over TLS: " + q + "\n"
                        + cpp.describe());
                assertEquals(Set.of("cpp-ann: cpp-ann says 42 to 6 x 7?"), Set.copyOf(q.responses().stream()
                        .map(r -> r.sender().name() + ": " + r.text()).toList()));
                tess.leave();
            }
            t.destroyGroup(group);
        }
    }

    @Test
    void cppStudentAnswersAJavaTeacherOverTls() throws Exception {
        questionAnsweredOverTls(server, "tls-mixed", false);
    }

    @Test
    void cppStudentShowsItsCertificateWhereTheServerRequiresOne() throws Exception {
        questionAnsweredOverTls(mutual, "mtls-mixed", true);
    }

    @Test
    void cppStudentWithoutCertificateIsRefusedWhereTheServerRequiresOne() throws Exception {
        try (Troupe t = Troupe.connect(url(mutual), pki.clientWithCertificate())) {
            t.createGroup("mtls-refused", ProtocolLoader.loadBundled("tele-teaching"));
            try (JavaProcess cpp = student(mutual, "mtls-refused", "cpp-nokey", false)) {
                int code = cpp.awaitExit(WAIT_MS);
                assertNotEquals(0, code, cpp.describe());
                assertTrue(cpp.stderr().contains("cannot reach the server at corbaloc:ssliop:1.2@" + url(mutual)),
                        cpp.describe());
            }
            t.destroyGroup("mtls-refused");
        }
    }
}
