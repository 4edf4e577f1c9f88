package org.troupe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How much of a child JVM's CPU time went to its JIT compiler threads, read from Linux's
 * {@code /proc/<pid>/task/<tid>/stat} (threads named {@code C1/C2 CompilerThread...}). The bench
 * reports it next to the CPU per message: in a short run compiling is a large share of the work,
 * for every system alike. Compiler threads that HotSpot has already retired are not counted, so
 * the share is a lower bound. Elsewhere than Linux, or if a file cannot be read: unknown.
 */
final class JitCpu {
    private JitCpu() {
    }

    /** The process's CPU clock ticks so far: {total, compiler threads}; null if unknown. */
    static long[] ticks(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long total = times(Files.readString(proc.resolve("stat")));
            long jit = 0;
            try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    String stat;
                    try {
                        stat = Files.readString(t.resolve("stat"));
                    } catch (IOException gone) {
                        continue; // the thread ended meanwhile
                    }
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        jit += times(stat);
                    }
                }
            }
            return new long[] {total, jit};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime of one stat line (fields 14 and 15; the name in parentheses may hold spaces). */
    static long times(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The share of CPU the compiler threads took between two {@link #ticks} readings, or -1. */
    static double share(long[] before, long[] after) {
        if (before == null || after == null || after[0] <= before[0]) {
            return -1;
        }
        return (double) (after[1] - before[1]) / (after[0] - before[0]);
    }
}
