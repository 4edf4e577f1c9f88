package org.troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JitCpuTest {
    @Test
    void readsUserAndSystemTimeEvenWhenTheThreadNameHoldsSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194624 10 0 0 0 731 69 0 0 20 0 1 0";
        assertEquals(800, JitCpu.times(stat));
        String odd = "77 (a) b) (c) R 1 77 77 0 -1 0 0 0 0 0 5 7 0 0 20 0 1 0";
        assertEquals(12, JitCpu.times(odd));
    }

    @Test
    void theShareIsTheCompilersPartOfTheCpuUsedBetweenTwoReadings() {
        assertEquals(0.25, JitCpu.share(new long[] {100, 10}, new long[] {500, 110}), 1e-9);
        assertEquals(-1, JitCpu.share(null, new long[] {1, 0}));
        assertEquals(-1, JitCpu.share(new long[] {5, 1}, new long[] {5, 1}), "no CPU used: no share");
    }

    @Test
    void readsThisJvmsCompilerThreads() throws Exception {
        long[] before = JitCpu.ticks(ProcessHandle.current().pid());
        if (!Files.isDirectory(Path.of("/proc/self/task"))) {
            assertNull(before, "without Linux's /proc the share is unknown, not zero");
            return;
        }
        assertNotNull(before);
        long sink = 0;
        long until = System.nanoTime() + 300_000_000L; // burn CPU (and give the JIT work) for 0.3 s
        while (System.nanoTime() < until) {
            sink += Long.toString(sink * 31 + 7).hashCode();
        }
        long[] after = JitCpu.ticks(ProcessHandle.current().pid());
        assertTrue(after[0] > before[0], "the process used CPU: " + before[0] + " -> " + after[0] + " " + sink);
        assertTrue(after[1] >= 0 && after[1] <= after[0], "compiler ticks within the process's");
        assertNull(JitCpu.ticks(Long.MAX_VALUE), "no such process: unknown");
    }
}
