package org.troupe.member.process;

import org.junit.jupiter.api.AfterEach;

/**
 * Base of the process tests: the cluster a test starts (a server JVM and member JVMs) is stopped
 * after it, whatever happened, and waits share one time-out.
 */
abstract class ProcessClusterTest {
    /** The longest any one wait for a process's line may take. */
    static final long WAIT_MS = 30_000;

    ProcessCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
