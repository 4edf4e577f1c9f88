package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;

/**
 * {@code troupe groups} against a cluster of three server processes: each group's line ends with
 * the server that leads it and its Raft term, through the list of servers or any one of them;
 * after the leader is killed with SIGKILL it names the new leader, at a higher term.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GroupsCliClusterTest {
    private static final Pattern LEADER = Pattern.compile(
            "(?m)^cls  protocol=ad-hoc  view=0  members=0  complete=false  sequencer=server  messages=0  views=0  "
                    + "leader=(s[123])  term=(\\d+)$");
    private static final long WAIT_MS = 60_000;

    @TempDir
    Path data;

    private final List<JavaProcess> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(JavaProcess::close);
    }

    @Test
    void groupsShowsEachGroupsLeaderAndTermThroughAnyServer() throws Exception {
        int[] ports = new int[3];
        StringBuilder peers = new StringBuilder();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports[i] = JavaProcess.freePort();
            peers.append(i == 0 ? "" : ",").append("s").append(i + 1).append("=127.0.0.1:").append(ports[i])
                    .append(':').append(JavaProcess.freePort());
            addresses.add("127.0.0.1:" + ports[i]);
        }
        String all = String.join(",", addresses);
        for (int i = 0; i < 3; i++) {
            servers.add(TroupeProcesses.startServer("s" + (i + 1), ports[i], List.of("--host", "127.0.0.1", "--no-naming",
                    "--id", "s" + (i + 1), "--peers", peers.toString(), "--data", data.resolve("s" + (i + 1)).toString())));
        }
        createOnceTheClusterTakesIt(all);

        TroupeProcesses.Result listed = TroupeProcesses.run("groups", "--server", all);
        assertEquals(0, listed.exitCode(), listed.describe());
        Matcher m = LEADER.matcher(listed.out());
        assertTrue(m.find(), listed.out());
        String leader = m.group(1);
        long term = Long.parseLong(m.group(2));
        int follower = leader.equals("s1") ? 1 : 0;
        TroupeProcesses.Result atFollower = TroupeProcesses.run("groups", "--server", addresses.get(follower));
        assertEquals(0, atFollower.exitCode(), atFollower.describe());
        Matcher f = LEADER.matcher(atFollower.out());
        assertTrue(f.find(), atFollower.out());
        assertEquals(leader, f.group(1), "a follower names the same leader");

        JavaProcess killed = servers.get(Integer.parseInt(leader.substring(1)) - 1);
        killed.signal("KILL");
        killed.awaitExit(WAIT_MS);
        awaitNewLeader(all, leader);
        TroupeProcesses.Result after = TroupeProcesses.run("groups", "--server", all);
        assertEquals(0, after.exitCode(), after.describe());
        Matcher a = LEADER.matcher(after.out());
        assertTrue(a.find(), after.out());
        assertNotEquals(leader, a.group(1), "the killed server leads no more");
        assertTrue(Long.parseLong(a.group(2)) > term, "a new leader is elected at a higher term: " + after.out());
    }

    private static void createOnceTheClusterTakesIt(String all) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        try (Troupe t = Troupe.connect(all)) {
            while (true) {
                try {
                    t.createGroup("cls", GroupSpec.parse("ad-hoc", "A:0:n", "T"));
                    return;
                } catch (TroupeException e) {
                    if (e.getMessage().endsWith("exists already")) {
                        return;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        throw e;
                    }
                    Thread.sleep(200); // the cluster elects its first leaders
                }
            }
        }
    }

    private static void awaitNewLeader(String all, String old) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        try (Troupe t = Troupe.connect(all)) {
            while (true) {
                try {
                    for (GroupInfo g : t.groups()) {
                        if (g.name.equals("cls") && !g.leader.isEmpty() && !g.leader.equals(old)) {
                            return;
                        }
                    }
                } catch (TroupeException e) {
                    // no server answered just now
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new TimeoutException("no leader other than " + old + " within " + WAIT_MS + " ms");
                }
                Thread.sleep(50);
            }
        }
    }
}
