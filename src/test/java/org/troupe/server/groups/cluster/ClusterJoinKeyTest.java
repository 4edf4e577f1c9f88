package org.troupe.server.groups.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.JoinOptions;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.server.groups.GroupSettings;

/**
 * In a cluster of three, a keyed group's key is part of the replicated group: after its leader
 * stops, the new leader still refuses a join without the key or with a wrong one, and admits one
 * with it.
 */
@Tag("integration")
class ClusterJoinKeyTest {
    private static final String KEY = "k3y-for-the-cluster-group";

    @Test
    void theKeySurvivesALeaderChange(@TempDir Path data) throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(3, data, new GroupSettings(200, 3000, 4096))) {
            try (Troupe admin = Troupe.connect(cluster.all())) {
                admin.createGroup("vault", GroupSpec.parse("vault", "Guest:0:n", "Text").toProtocol(), true, KEY);
            }
            try (Troupe t = Troupe.connect(cluster.all()); Group ann = t.join("vault", "Guest", "ann",
                    JoinOptions.defaults().joinKey(KEY))) {
                assertTrue(ann.me().id() > 0);
            }
            int leader = cluster.leaderOf("vault");
            assertTrue(leader >= 0);
            cluster.stop(leader);
            try (Troupe t = Troupe.connect(cluster.all())) {
                TroupeException none = assertThrows(TroupeException.class, () -> t.join("vault", "Guest", "eve"));
                assertEquals("group vault requires a join key", none.getMessage());
                TroupeException wrong = assertThrows(TroupeException.class, () -> t.join("vault", "Guest", "eve",
                        JoinOptions.defaults().joinKey("not-the-key-at-all")));
                assertEquals("wrong join key for group vault", wrong.getMessage());
                try (Group bob = t.join("vault", "Guest", "bob", JoinOptions.defaults().joinKey(KEY))) {
                    assertTrue(bob.me().id() > 0);
                }
            }
            assertTrue(cluster.leaderOf("vault") != leader, "a new leader");
        }
    }
}
