package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.Group;
import org.troupe.member.Troupe;

/**
 * A server that is SIGKILLed and restarted gets the group it prefers to lead back by itself,
 * under a steady load (which keeps Ratis from handing it back on its own), once it has answered
 * for {@code --restore-leaders-after}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag("process")
class LeaderRestoreProcessTest extends ClusterProcessTest {
    /** The delay given to the servers; 0 turns the hand-back off (to see this test fail without it). */
    private static final String AFTER = System.getProperty("troupe.test.restore.after", "2");

    @Test
    void aRestartedServerGetsItsGroupBackUnderLoad() throws Exception {
        servers = ClusterServers.start("restore", data, 3, "--restore-leaders-after", AFTER);
        String group = "restored";
        servers.createGroup(group, STUDENTS);
        servers.awaitServed(group);
        int preferred = servers.leaderNow(0, group);
        int other = (preferred + 1) % 3;
        AtomicBoolean stop = new AtomicBoolean();
        try (Troupe t = Troupe.connect(servers.all())) {
            Group ann = t.join(group, "Student", "ann");
            Thread load = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        ann.send("Answer", ("a" + i).getBytes(StandardCharsets.UTF_8));
                        Thread.sleep(5);
                        while (ann.receive(java.time.Duration.ZERO) != null) {
                            // drained
                        }
                    }
                } catch (Exception e) {
                    if (!stop.get()) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "load");
            load.setDaemon(true);
            load.start();
            servers.signal(preferred, "KILL");
            servers.awaitLeader(other, group, x -> x != preferred, WAIT_MS);
            long restartedAt = System.nanoTime();
            servers.restart(preferred);
            int back = servers.awaitLeader(other, group, x -> x == preferred, 60_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
            assertEquals(preferred, back);
            System.err.printf("leader-restore: %s led its group again %d ms after its restart began "
                    + "(--restore-leaders-after %s)%n", ClusterServers.id(preferred), ms, AFTER);
            stop.set(true);
            load.join(10_000);
            ann.leave();
        }
    }
}
