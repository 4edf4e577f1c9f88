package org.troupe.memberjar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import org.troupe.server.groups.GroupSettings;

/**
 * The member library jar as an application developer uses it, after {@code mvn package}: it holds
 * no server, applications, benchmarks, CLI, picocli or JGroups, and the README's member
 * ({@code examples/java/Chat.java}) compiles against it alone and runs against a server, two
 * copies in their own JVMs with only that jar on their class path.
 */
@Tag("process")
class MemberJarIT {
    private static final Path JAR = Path.of("target/troupe-member.jar");

    @Test
    void holdsOnlyWhatAMemberNeeds() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run after mvn package: " + JAR.toAbsolutePath());
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("org/troupe/member/Troupe.class"));
            assertTrue(names.contains("org/troupe/protocol/ApplicationProtocol.class"));
            for (String forbidden : List.of("org/troupe/server/", "org/troupe/apps/", "org/troupe/bench/",
                    "org/troupe/cli/", "org/troupe/hosted/", "picocli/", "org/jgroups/", "org/apache/ratis/",
                    "io/micrometer/", "io/prometheus/", "org/eclipse/jetty/", "org/HdrHistogram/")) {
                assertTrue(names.stream().noneMatch(n -> n.startsWith(forbidden)), "the member jar holds " + forbidden);
            }
        }
    }

    @Test
    void theReadmesMemberCompilesAgainstTheJarAloneAndRuns(@TempDir Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-cp", JAR.toString(), "-d", classes.toString(),
                "examples/java/Chat.java");
        assertEquals(0, rc, "javac: " + diagnostics);
        int port = JavaProcess.freePort();
        try (TroupeServer server = TroupeServer.start(new ServerSettings("127.0.0.1", port, true,
                ChannelSettings.defaults(), GroupSettings.defaults()))) {
            String address = "127.0.0.1:" + server.settings().port();
            String cp = JAR.toAbsolutePath() + java.io.File.pathSeparator + classes;
            String java = ProcessHandle.current().info().command().orElse("java");
            try (JavaProcess ann = JavaProcess.startCommand("ann", List.of(java, "-cp", cp, "Chat",
                    address, "ann"))) {
                ann.awaitLine(l -> l.startsWith("view "), "ann's first view", 30_000);
                try (JavaProcess bob = JavaProcess.startCommand("bob", List.of(java, "-cp", cp, "Chat",
                        address, "bob"))) {
                    bob.awaitLine(l -> l.endsWith("bob: hello from bob"), "bob's own message", 30_000);
                    ann.awaitLine(l -> l.endsWith("bob: hello from bob"), "bob's message at ann", 30_000);
                    assertEquals(0, bob.awaitExit(30_000), bob.stderr());
                }
                assertTrue(ann.lines().stream().anyMatch(l -> l.endsWith("ann: hello from ann")), ann.lines()
                        .toString());
                assertEquals(0, ann.awaitExit(30_000), ann.stderr());
            }
        }
    }
}
