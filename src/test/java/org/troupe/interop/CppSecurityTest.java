package org.troupe.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.orb.AdminCredential;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * The C++ Student (omniORB, a hosted member) against a server with an admin secret and a keyed
 * group: refused without the secret (host_member is administrative), refused without the key or
 * with a wrong one, in with both (the secret presented by an omniORB client interceptor, the key
 * through host_member_with_key).
 */
@Tag("process")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CppSecurityTest {
    private static final Path STUDENT = CppExamples.DIR.resolve("build").resolve("troupe-student");
    private static final String KEY = "the-key-of-group-keyed";
    private static TroupeServer server;
    private static String url;
    private static Path dir;
    private static Path secretFile;
    private static Path keyFile;
    private static Path wrongKeyFile;

    @BeforeAll
    static void buildAndStart() throws Exception {
        CppExamples.build("the C++ security test");
        dir = Files.createTempDirectory("troupe-cpp-security");
        String secret = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();
        secretFile = write("admin.secret", secret);
        keyFile = write("group.key", KEY);
        wrongKeyFile = write("wrong.key", "not-the-key-of-group");
        int port = JavaProcess.freePort();
        server = TroupeServer.start(ServerSettings.defaults(port).withAdmin(AdminCredential.fromFile(secretFile)));
        url = "127.0.0.1:" + port;
        // a colocated call: the server's own
        server.groupsAdministrator().create_keyed_group("keyed", org.troupe.wire.Descriptors.toIdl(
                ProtocolLoader.loadBundled("tele-teaching"), true), KEY);
    }

    private static Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    private static JavaProcess student(String name, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(STUDENT.toString(), "--server", url, "--group", "keyed", "--name",
                name, "--answer-template", "ok"));
        cmd.addAll(Arrays.asList(extra));
        return JavaProcess.startCommand("troupe-student-" + name, cmd);
    }

    private static void assertFails(String expected, String... extra) throws Exception {
        try (JavaProcess p = student("eve", extra)) {
            assertEquals(1, p.awaitExit(30_000), p.describe());
            assertEquals("troupe-student: " + expected, p.stderr().strip(), p.describe());
        }
    }

    @Test
    void theStudentNeedsTheSecretAndTheKey() throws Exception {
        assertFails("the server requires the admin credential: give --admin-secret-file or set "
                + "TROUPE_ADMIN_SECRET_FILE", "--join-key-file", keyFile.toString());
        assertFails("group keyed requires a join key", "--admin-secret-file", secretFile.toString());
        assertFails("wrong join key for group keyed", "--admin-secret-file", secretFile.toString(),
                "--join-key-file", wrongKeyFile.toString());

        try (JavaProcess ann = student("ann", "--admin-secret-file", secretFile.toString(), "--join-key-file",
                keyFile.toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean in = false;
            while (!in && System.nanoTime() < deadline) {
                in = Arrays.stream(server.groupsAdministrator().find_group("keyed").current_view().members)
                        .anyMatch(m -> m.name.equals("ann"));
                if (!in) {
                    assertTrue(ann.isAlive(), ann.describe());
                    Thread.sleep(50);
                }
            }
            assertTrue(in, "ann is in the group\n" + ann.describe());
        }
    }
}
