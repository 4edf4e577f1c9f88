package org.troupe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packages say which side they are on, and depend on each other in one direction only: the
 * member library and the shared code never reach into the server, the applications, the
 * benchmarks or the CLI; the server never reaches into the applications, the benchmarks or the
 * CLI; the group core and the member stack import no CORBA.
 */
@Tag("unit")
class LayoutTest {
    private static final Path SRC = Path.of("src/main/java/org/troupe");
    private static final Pattern IMPORT = Pattern.compile("org\\.troupe\\.([a-z]+(?:\\.[a-z]+)*)");

    /** Package (relative to org.troupe, with sub-packages) → prefixes it must not use. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "member", List.of("server", "hosted", "apps", "bench", "cli", "eventclient"),
            "protocol", List.of("server", "member", "hosted", "apps", "bench", "cli", "eventclient"),
            "wire", List.of("member.stack", "member.corba", "hosted", "apps", "bench", "cli", "eventclient"),
            "cdr", List.of("server", "member", "hosted", "apps", "bench", "cli", "eventclient", "wire"),
            "orb", List.of("server", "member", "hosted", "apps", "bench", "cli", "eventclient", "wire"),
            "eventclient", List.of("server", "member", "hosted", "apps", "bench", "cli"),
            "server", List.of("apps", "bench", "cli", "member.corba"),
            // the operations endpoint only reads the server: no member, hosted or client code
            "server.ops", List.of("apps", "bench", "cli", "member", "hosted", "eventclient"),
            "hosted", List.of("apps", "bench", "cli"),
            "apps", List.of("cli", "bench"));

    @Test
    void noPackageReachesAgainstTheGrain() throws IOException {
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SRC)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String pkg = SRC.relativize(f.getParent()).toString().replace('/', '.');
                String text = code(Files.readString(f));
                for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
                    if (!(pkg.equals(rule.getKey()) || pkg.startsWith(rule.getKey() + "."))) {
                        continue;
                    }
                    Matcher m = IMPORT.matcher(text);
                    while (m.find()) {
                        String used = m.group(1);
                        for (String bad : rule.getValue()) {
                            if (used.equals(bad) || used.startsWith(bad + ".")) {
                                wrong.add(SRC.relativize(f) + " uses org.troupe." + used);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong.stream().distinct().toList());
    }

    /** The source without comments and string literals: what the compiler resolves. */
    private static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ")
                .replaceAll("\"(?:[^\"\\\\\n]|\\\\.)*\"", "\"\"");
    }

    @Test
    void theGroupCoreAndTheMemberStackImportNoCorba() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String dir : List.of("server/groups", "member/stack", "member/model")) {
            try (Stream<Path> files = Files.list(SRC.resolve(dir))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    if (Files.readString(f).contains("org.omg")) {
                        wrong.add(dir + "/" + f.getFileName());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
