package org.troupe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Descriptor errors: a corpus of broken files ({@code src/test/resources/protocols/broken}), one
 * per schema error (s*), semantic error (m*) or encoding error (e*). Each file's header comment
 * says what must be reported, one {@code expect LINE:COLUMN MESSAGE} per problem; the loader must
 * report exactly those problems, in that order, at those places, with those messages.
 */
@Tag("unit")
class BrokenDescriptorsTest {
    private static final java.util.regex.Pattern EXPECT =
            java.util.regex.Pattern.compile("^\\s*expect (\\d+):(\\d+) (.+)$", java.util.regex.Pattern.MULTILINE);

    /** One expected problem. */
    record Expected(int line, int column, String message) {
        @Override
        public String toString() {
            return line + ":" + column + ": " + message;
        }
    }

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(ProtocolTestFiles.brokenDirectory())) {
            return files.filter(p -> p.toString().endsWith(".xml")).sorted().collect(Collectors.toList()).stream();
        }
    }

    static List<Expected> expectations(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        String header = text.substring(0, Math.max(0, text.indexOf("-->")));
        List<Expected> out = new ArrayList<>();
        Matcher m = EXPECT.matcher(header);
        while (m.find()) {
            out.add(new Expected(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3).strip()));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void reportsEachProblemAtItsPlace(Path file) throws IOException {
        List<Expected> expected = expectations(file);
        assertFalse(expected.isEmpty(), file + " has no 'expect LINE:COLUMN MESSAGE' line in its header");
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.load(file),
                file + " loaded, but it is broken");
        List<Problem> got = e.problems();
        String report = got.stream().map(Problem::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
        assertEquals(expected.size(), got.size(), "problems of " + file.getFileName() + ":" + report);
        for (int i = 0; i < expected.size(); i++) {
            Expected x = expected.get(i);
            Problem p = got.get(i);
            assertEquals(file.toString(), p.file());
            assertEquals(x.toString(), p.line() + ":" + p.column() + ": " + p.message(),
                    "problem " + (i + 1) + " of " + file.getFileName() + ":" + report);
            assertFalse(p.message().contains("cvc-"), "a raw schema message: " + p.message());
            assertEquals(file + ":" + x, p.toString());
        }
        assertEquals(got.stream().map(Problem::toString).collect(Collectors.joining("\n")), e.getMessage());
    }

    @Test
    void theCorpusCoversEnoughErrors() throws IOException {
        List<Path> files = corpus().collect(Collectors.toList());
        long schema = files.stream().filter(f -> f.getFileName().toString().startsWith("s")).count();
        long semantic = files.stream().filter(f -> f.getFileName().toString().startsWith("m")).count();
        assertTrue(schema >= 15, "schema errors: " + schema);
        assertTrue(semantic >= 15, "semantic errors: " + semantic);
    }

    @Test
    void windowsLineEndingsGiveTheSamePlaces(@TempDir Path dir) throws Exception {
        for (String name : List.of("m03-unknown-receiver.xml", "s16-text.xml", "m24-several.xml", "s19-malformed.xml")) {
            Path original = ProtocolTestFiles.brokenDirectory().resolve(name);
            Path crlf = dir.resolve(name);
            Files.writeString(crlf, Files.readString(original).replace("\n", "\r\n"));
            ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.load(crlf));
            List<String> got = e.problems().stream().map(p -> p.line() + ":" + p.column() + ": " + p.message())
                    .collect(Collectors.toList());
            assertEquals(expectations(original).stream().map(Expected::toString).collect(Collectors.toList()), got, name);
        }
    }

    @Test
    void aMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nothing.xml");
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.load(missing));
        assertEquals(List.of(Problem.ofFile(missing.toString(), "no such file")), e.problems());
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void aDirectory(@TempDir Path dir) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.load(dir));
        assertEquals(dir + ": is a directory, not a protocol descriptor", e.getMessage());
    }

    @Test
    void anUnreadableFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("secret.xml");
        Files.writeString(f, ProtocolTestFiles.bundledText("card-game"));
        assertTrue(f.toFile().setReadable(false, false));
        try {
            if (Files.isReadable(f)) {
                return; // running as root: permissions do not apply
            }
            ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.load(f));
            assertEquals(f + ": cannot read the file: permission denied", e.getMessage());
        } finally {
            f.toFile().setReadable(true, false);
        }
    }

    @Test
    void anUnknownNameIsNeitherFileNorBundled() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.load("tele-teachin"));
        assertEquals("tele-teachin: no such file, and no bundled protocol of that name (bundled: card-game, "
                + "tele-teaching)", e.getMessage());
        ProtocolException b = assertThrows(ProtocolException.class, () -> ProtocolLoader.loadBundled("poker"));
        assertEquals("poker: no bundled protocol named 'poker' (bundled: card-game, tele-teaching)", b.getMessage());
        ProtocolException p = assertThrows(ProtocolException.class, () -> ProtocolLoader.load("no/such/file.xml"));
        assertEquals("no/such/file.xml: no such file", p.getMessage());
    }

    @Test
    void emptyAndNonXmlText() {
        ProtocolException empty = assertThrows(ProtocolException.class, () -> ProtocolLoader.parse("", "empty.xml"));
        assertEquals(1, empty.problems().size());
        assertTrue(empty.problems().get(0).message().startsWith("malformed XML: "), empty.getMessage());
        ProtocolException text = assertThrows(ProtocolException.class,
                () -> ProtocolLoader.parse("roles: Student, Teacher\n", "notes.xml"));
        assertEquals("notes.xml:1:1: malformed XML: Content is not allowed in prolog.", text.getMessage());
    }

    @Test
    void noExternalEntities(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "Teacher");
        String xml = "<!DOCTYPE protocol [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<protocol><roles><role name=\"&x;\" min=\"1\" max=\"1\"/></roles>"
                + "<message-types><message-type name=\"T\"/></message-types></protocol>";
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.parse(xml, "xxe.xml"));
        assertEquals("xxe.xml:1:1: " + ProtocolLoader.NO_DOCTYPE, e.getMessage(), "refused at its DOCTYPE");
        assertFalse(e.getMessage().contains("Teacher"), "the file was not read");
    }

    @Test
    void anEntityThatReadsAFileIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "s3cr3t");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE protocol [\n  <!ENTITY x SYSTEM \"" + secret.toUri()
                + "\">\n]>\n<protocol name=\"&x;\"><roles><role name=\"A\" min=\"1\" max=\"1\"/></roles>"
                + "<message-types><message-type name=\"T\"/></message-types></protocol>";
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.parse(xml, "xxe.xml"));
        assertEquals("xxe.xml:2:1: " + ProtocolLoader.NO_DOCTYPE, e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"));
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE protocol [\n"
                + "  <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) { // lol9 expands to 10^9 "lol"s
            xml.append("  <!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                xml.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            xml.append("\">\n");
        }
        xml.append("]>\n<protocol name=\"&lol9;\"><roles><role name=\"A\" min=\"1\" max=\"1\"/></roles>"
                + "<message-types><message-type name=\"T\"/></message-types></protocol>\n");
        long start = System.nanoTime();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> ProtocolLoader.parse(xml.toString(), "laughs.xml"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("laughs.xml:2:1: " + ProtocolLoader.NO_DOCTYPE, e.getMessage());
        assertTrue(millis < 2000, "refused in " + millis + " ms");
    }
    @Test
    void aValueWithAQuoteIsReportedOnce() {
        String xml = "<protocol>\n  <roles><role name=\"A\" min=\"1\" max=\"it's\"/></roles>\n"
                + "  <message-types><message-type name=\"T\"/></message-types>\n</protocol>\n";
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.parse(xml, "q.xml"));
        assertEquals("q.xml:2:33: max=\"it's\" must be a whole number or \"n\" (no limit)", e.getMessage());
    }

    @Test
    void aByteOrderMarkIsFine() throws ProtocolException {
        ApplicationProtocol p = ProtocolLoader.parse("\uFEFF<protocol name=\"bom\"><roles><role name=\"A\" min=\"1\" "
                + "max=\"1\"/></roles><message-types><message-type name=\"T\"/></message-types></protocol>", "bom.xml");
        assertEquals("bom", p.name());
    }

    @Test
    void aRoleOrTypeNameThatWouldForgeALineIsRefusedAtItsPlace() {
        String xml = "<protocol name=\"chat&#x85;\">\n  <roles><role name=\"User&#10;GROUP x\" min=\"1\" max=\"n\"/>"
                + "</roles>\n  <message-types><message-type name=\"Say&#x202e;\"/></message-types>\n</protocol>\n";
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolLoader.parse(xml, "forged.xml"));
        assertEquals(List.of(
                "forged.xml:1:11: the protocol name 'chat\\u0085' is refused: it holds the character U+0085 (control,"
                        + " format or unassigned characters are not allowed); a protocol name is 1-256 characters of "
                        + Names.TEXT_RULE,
                "forged.xml:2:16: the role name 'User\\u000aGROUP x' is refused: it holds the character U+000A (control,"
                        + " format or unassigned characters are not allowed); a role name is 1-256 characters of "
                        + Names.TEXT_RULE,
                "forged.xml:3:32: the message type 'Say\\u202e' is refused: it holds the character U+202E (control,"
                        + " format or unassigned characters are not allowed); a message type is 1-256 characters of "
                        + Names.TEXT_RULE),
                e.problems().stream().map(Object::toString).toList());
    }
}
