package org.troupe.apps.teaching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.server.TroupeProcesses;

/** {@code troupe demo tele-teaching}, the README's run command, as a user runs it: to the end, with its summary. */
@Tag("process")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class TeleTeachingDemoTest {
    @Test
    void theDemoRunsToItsSummary() throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run(120_000, "demo", "tele-teaching");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> out = r.stdout();
        assertEquals(2, out.stream().filter(l -> l.matches("==   SUMMARY Q\\d+ COMPLETE answered=\\w+,\\w+,\\w+ missing=- "
                + "late=0")).count(), "both Questions complete with three Answers each\n" + r.describe());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("==   dan joined late: STATE from tess: 3 earlier items; open Q")),
                r.describe());
        assertTrue(out.stream().anyMatch(l -> l.matches("==   cy was killed and left the view \\d+ ms later; Q\\d+ "
                + "completed without it")), r.describe());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("dan     | ANSWERED Q")), "dan answers the open question");
    }
}
