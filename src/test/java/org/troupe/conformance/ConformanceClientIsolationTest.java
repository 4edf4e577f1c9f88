package org.troupe.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.conformance.client.CosEventConformanceClient;

/**
 * The conformance client must be a plain OMG CosEvent client: its compiled classes may refer to
 * the standard OMG packages (and Java, SLF4J) only, never to a Troupe or JacORB class.
 */
@Tag("unit")
class ConformanceClientIsolationTest {
    private static final Set<String> OMG_ALLOWED = Set.of("CORBA", "PortableServer", "CosEventComm",
            "CosEventChannelAdmin", "CosNaming");
    private static final Pattern TROUPE_REF = Pattern.compile("org[/.]troupe[/.][A-Za-z0-9_/.$]*");
    private static final Pattern OMG_REF = Pattern.compile("org/omg/([A-Za-z0-9_]+)/");

    @Test
    void clientClassesUseOnlyStandardOmgStubs() throws IOException, URISyntaxException {
        Path dir = Path.of(CosEventConformanceClient.class.getResource("CosEventConformanceClient.class").toURI())
                .getParent();
        List<Path> classes;
        try (Stream<Path> s = Files.list(dir)) {
            classes = s.filter(p -> p.getFileName().toString().endsWith(".class")).toList();
        }
        assertFalse(classes.isEmpty(), "no client classes found in " + dir);
        Set<String> troupeRefs = new TreeSet<>();
        Set<String> omgPackages = new TreeSet<>();
        Set<String> jacorbRefs = new TreeSet<>();
        for (Path c : classes) {
            // class-file constant pools hold names as (modified) UTF-8; ASCII names read as-is
            String text = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
            Matcher m = TROUPE_REF.matcher(text);
            while (m.find()) {
                String ref = m.group().replace('.', '/');
                if (!ref.startsWith("org/troupe/conformance/client/")) {
                    troupeRefs.add(c.getFileName() + " -> " + m.group());
                }
            }
            Matcher o = OMG_REF.matcher(text);
            while (o.find()) {
                omgPackages.add(o.group(1));
            }
            if (text.contains("org/jacorb/")) {
                jacorbRefs.add(c.getFileName().toString());
            }
        }
        assertEquals(Set.of(), troupeRefs, "the conformance client refers to Troupe classes");
        assertEquals(Set.of(), jacorbRefs, "the conformance client refers to JacORB classes (only ORB properties allowed)");
        Set<String> extra = new TreeSet<>(omgPackages);
        extra.removeAll(OMG_ALLOWED);
        assertEquals(Set.of(), extra, "the conformance client uses non-standard org.omg packages");
        assertTrue(omgPackages.contains("CosEventChannelAdmin"), "expected CosEventChannelAdmin use, found " + omgPackages);
    }
}
