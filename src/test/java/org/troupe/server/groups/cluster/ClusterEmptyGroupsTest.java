package org.troupe.server.groups.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.server.TroupeServer;
import org.troupe.server.groups.GroupSettings;
import org.troupe.server.groups.GroupStatus;

/**
 * In a three-server cluster with an empty-group time-out, a group whose last member left is
 * removed through the replicated log: every server's copy goes, not only the leader's; a group
 * with a member stays everywhere.
 */
@Tag("integration")
class ClusterEmptyGroupsTest {

    private static Set<String> copies(TroupeServer s) {
        return s.groupDirectory().status().stream().map(GroupStatus::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theRemovalIsReplicated(@TempDir Path data) throws Exception {
        try (InJvmCluster c = InJvmCluster.start(3, data, new GroupSettings(100, 1000, 4096), -1);
                Troupe t = Troupe.connect(c.all())) {
            for (TroupeServer s : c.servers) {
                s.groupDirectory().removeEmptyGroupsAfter(Duration.ofSeconds(1));
            }
            GroupSpec spec = GroupSpec.parse("chat", "Peer:1:n", "Say");
            t.createGroup("stays", spec);
            Group pia = t.join("stays", "Peer", "Pia");
            t.createGroup("goes", spec);
            Group ola = t.join("goes", "Peer", "Ola");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c.servers.stream().anyMatch(s -> !copies(s).equals(Set.of("goes", "stays")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            ola.leave();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c.servers.stream().anyMatch(s -> !copies(s).equals(Set.of("stays")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            for (TroupeServer s : c.servers) {
                assertEquals(Set.of("stays"), copies(s), "every server's copy");
            }
            assertEquals(Set.of("stays"), Arrays.stream(t.groups()).map(g -> g.name).collect(Collectors.toSet()));
            pia.leave();
        }
    }
}
