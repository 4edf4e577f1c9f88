package org.troupe.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.server.JavaProcess;

/**
 * With no server where a member looks, the error is one sentence that names the address and asks
 * whether the server runs there, not the ORB's exception text.
 */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnreachableServerTest {

    @Test
    void noServerRunningIsSaidInWordsNamingEveryAddress() throws Exception {
        int a = JavaProcess.freePort();
        int b = JavaProcess.freePort();
        while (b == a) {
            b = JavaProcess.freePort();
        }
        try (Troupe t = Troupe.connect("127.0.0.1:" + a + ",127.0.0.1:" + b)) {
            TroupeException e = assertThrows(TroupeException.class, () -> t.join("math-101", "Student", "ann"));
            assertEquals("cannot reach the Troupe server at 127.0.0.1:" + a + ", 127.0.0.1:" + b
                    + " (TRANSIENT): is 'troupe server' running there, and is the address right?", e.getMessage());
        }
    }
}
