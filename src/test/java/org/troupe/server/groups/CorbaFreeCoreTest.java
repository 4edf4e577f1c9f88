package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The group core and the member stack stay free of CORBA: no source file in their packages
 * imports or names {@code org.omg} (their CORBA adapters live in sub-packages of their own).
 */
class CorbaFreeCoreTest {

    static List<String> corbaUsers(Path packageDir) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(packageDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.toString().endsWith(".java") && Files.readString(f).contains("org.omg")) {
                    found.add(f.getFileName().toString());
                }
            }
        }
        return found;
    }

    @Test
    void theServersGroupCoreImportsNoCorba() throws IOException {
        Path core = Path.of("src/main/java/org/troupe/server/groups");
        assertTrue(Files.isDirectory(core), "run from the project directory");
        assertEquals(List.of(), corbaUsers(core));
    }
}
