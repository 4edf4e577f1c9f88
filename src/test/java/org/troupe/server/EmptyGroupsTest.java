package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;

/**
 * {@code troupe server --empty-group-timeout}: a group that has had no member for that long is
 * removed (one never joined, one whose last member left), while a group with a member stays; a
 * value that is not a duration is one sentence. Without the option (0, the default) groups stay,
 * as every other test that creates a group and lists it later shows.
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmptyGroupsTest {

    private static Set<String> groups(Troupe t) throws Exception {
        return Arrays.stream(t.groups()).map(g -> g.name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Waits (15 s at most) until the server's groups are exactly {@code expected}. */
    private static void awaitGroups(Troupe t, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Set<String> now = groups(t);
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = groups(t);
        }
        assertEquals(expected, now);
    }

    @Test
    void aGroupWithNoMemberForTheTimeOutIsRemoved() throws Exception {
        int port = JavaProcess.freePort();
        String iiop = "127.0.0.1:" + port;
        try (JavaProcess server = TroupeProcesses.startServer("server", port, List.of("--no-naming",
                "--empty-group-timeout", "2s"));
             Troupe t = Troupe.connect(iiop)) {
            GroupSpec spec = GroupSpec.parse("notes", "Node:1:n", "Note");
            t.createGroup("busy", spec);
            Group nina = t.join("busy", "Node", "nina"); // within the time-out of its creation
            t.createGroup("lonely", spec);
            long created = System.nanoTime();
            assertEquals(Set.of("busy", "lonely"), groups(t));
            awaitGroups(t, Set.of("busy"));
            long removedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created);
            assertTrue(removedAfterMs >= 1900, "not before the time-out: " + removedAfterMs + " ms");
            assertEquals(1, t.groups()[0].view.members.length, "the busy group keeps its member");

            nina.leave();
            awaitGroups(t, Set.of());
            assertTrue(server.isAlive(), server.describe());
        }
    }

    @Test
    void aValueThatIsNotADurationIsOneSentence() throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run("server", "--port", Integer.toString(JavaProcess.freePort()),
                "--no-naming", "--empty-group-timeout", "10x");
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("troupe: --empty-group-timeout: '10x' is not a duration (a number and a unit: 500ms, 90s, 10m,"
                + " 2h; or 0)", r.stderr().strip(), r.describe());
    }
}
