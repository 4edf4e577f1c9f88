package org.troupe.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The C++ examples ({@code examples/cpp}) for the interop tests: where they are, and building them
 * with {@code make} (once per JVM; make itself skips what is up to date). A test is skipped only
 * when {@code omniidl} is missing; {@code .ci/run} installs it, so CI runs every C++ test.
 */
public final class CppExamples {
    static final Path DIR = Path.of("examples", "cpp").toAbsolutePath();
    private static boolean built;

    private CppExamples() {
    }

    /** The built program {@code name} ({@code troupe-watch}, {@code troupe-student}, {@code troupe-player}). */
    public static Path program(String name) {
        return DIR.resolve("build").resolve(name);
    }

    /** Skips the calling test class if omniORB's IDL compiler is missing; builds the examples otherwise. */
    public static synchronized void build(String what) throws Exception {
        assumeTrue(onPath("omniidl"), "omniidl is not installed (apt-get install omniidl libomniorb4-dev): the C++ "
                + "examples cannot be built, so " + what + " is skipped (.ci/run installs them)");
        if (built) {
            return;
        }
        Path log = Path.of("target", "cpp-build.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process make = new ProcessBuilder("make", "-j1", "-C", DIR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!make.waitFor(10, TimeUnit.MINUTES)) {
            make.destroyForcibly();
            fail("make -C examples/cpp did not finish within 10 minutes; see " + log);
        }
        assertEquals(0, make.exitValue(), "make -C examples/cpp failed:\n" + Files.readString(log));
        built = true;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
