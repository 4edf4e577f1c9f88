package org.troupe;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.omg.CORBA.ORB;

/**
 * Base of the tests that need an ORB only to build anys, TypeCodes and CDR streams in memory (no
 * server, no network): one ORB per test class, shut down after it.
 */
public abstract class LocalOrbTest {
    protected static ORB orb;

    @BeforeAll
    static void startLocalOrb() {
        orb = ORB.init(new String[0], null);
    }

    @AfterAll
    static void stopLocalOrb() {
        orb.shutdown(false);
    }
}
