package org.troupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every test class is in exactly one tier, so that {@code mvn test -Pfast} (the unit tier) and
 * {@code -Dgroups=...} select what they say and no new test escapes them: each class under
 * src/test/java with test methods of its own, or extending such a class, carries exactly one
 * class-level {@code @Tag("unit")}, {@code @Tag("integration")} or {@code @Tag("process")}.
 * Helpers (no test methods) and abstract bases are exempt; a base's tag would be inherited, so
 * the concrete classes carry theirs.
 */
@Tag("unit")
class TierTagsTest {
    private static final Path TESTS = Path.of("src/test/java");
    private static final Set<String> TIERS = Set.of("unit", "integration", "process");
    private static final Pattern TEST_METHOD =
            Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b");
    private static final Pattern TAG = Pattern.compile("@Tag\\(\\s*\"([^\"]*)\"\\s*\\)");

    /** One top-level class of the test sources, as far as tiers are concerned. */
    private record Source(Path file, String name, String code, boolean isAbstract, String superclass,
            boolean hasTests) {
    }

    @Test
    void everyTestClassCarriesExactlyOneTierTag() throws IOException {
        Map<String, Source> byName = new TreeMap<>();
        try (Stream<Path> files = Files.walk(TESTS)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Source s = read(f);
                byName.put(s.name(), s);
            }
        }
        assertTrue(byName.containsKey("TierTagsTest"), "not run from the project's directory: " + TESTS.toAbsolutePath());

        List<String> wrong = new ArrayList<>();
        int tests = 0;
        for (Source s : byName.values()) {
            if (s.isAbstract() || !isTestClass(s, byName, new HashSet<>())) {
                continue;
            }
            tests++;
            int declaration = declaration(s);
            List<String> tiers = new ArrayList<>();
            Matcher m = TAG.matcher(s.code());
            while (m.find()) {
                if (TIERS.contains(m.group(1))) {
                    if (m.start() > declaration) {
                        wrong.add(TESTS.relativize(s.file()) + ": @Tag(\"" + m.group(1)
                                + "\") inside the class; tiers are tagged on the class");
                    }
                    tiers.add(m.group(1));
                }
            }
            if (tiers.isEmpty()) {
                wrong.add(TESTS.relativize(s.file()) + ": no tier tag; add @Tag(\"unit\"), @Tag(\"integration\")"
                        + " or @Tag(\"process\") (see docs/testing.md)");
            } else if (tiers.size() > 1) {
                wrong.add(TESTS.relativize(s.file()) + ": more than one tier tag " + tiers);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(tests >= 50, "only " + tests + " test classes found under " + TESTS.toAbsolutePath());
    }

    private static Source read(Path f) throws IOException {
        String name = f.getFileName().toString().replaceFirst("\\.java$", "");
        String code = code(Files.readString(f));
        Matcher m = Pattern.compile("((?:\\b(?:public|final|abstract|sealed)\\s+)*)(?:class|interface|enum|record)\\s+"
                + Pattern.quote(name) + "\\b\\s*(?:<[^{]*?>\\s*)?(?:extends\\s+([\\w.]+))?").matcher(code);
        boolean found = m.find();
        boolean isAbstract = found && m.group(1).contains("abstract");
        String superclass = found && m.group(2) != null ? m.group(2).replaceFirst(".*\\.", "") : null;
        return new Source(f, name, code, isAbstract, superclass, TEST_METHOD.matcher(code).find());
    }

    /** Has test methods, or inherits some from a class of the test sources. */
    private static boolean isTestClass(Source s, Map<String, Source> byName, Set<String> seen) {
        if (s.hasTests()) {
            return true;
        }
        Source parent = s.superclass() == null ? null : byName.get(s.superclass());
        return parent != null && seen.add(s.name()) && isTestClass(parent, byName, seen);
    }

    /** Where the top-level class is declared: class-level annotations come before it. */
    private static int declaration(Source s) {
        Matcher m = Pattern.compile("\\b(?:class|interface|enum|record)\\s+" + Pattern.quote(s.name()) + "\\b")
                .matcher(s.code());
        return m.find() ? m.start() : Integer.MAX_VALUE;
    }

    /** The source without comments (string, character and text-block literals kept: a tag's value is one). */
    private static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                String quote = c == '"' && source.startsWith("\"\"\"", i) ? "\"\"\"" : String.valueOf(c);
                int j = i + quote.length();
                while (j < n && !source.startsWith(quote, j)) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(n, j + quote.length());
                out.append(source, i, j);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
