package org.troupe.server.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Secrets are compared in constant time: member tokens through {@link Admission#sameSecret}
 * (MessageDigest.isEqual), never with equals, wherever the server checks one; the admin
 * credential and join keys likewise.
 */
@Tag("unit")
class SecretComparisonTest {
    private static final Path SRC = Path.of("src/main/java/org/troupe");
    /** An equals whose receiver or argument names a token, secret or key. */
    private static final Pattern EQUALS_ON_SECRET = Pattern.compile(
            "(?i)(token|secret|joinkey|key)\\w*(\\(\\))?\\s*\\.\\s*equals\\s*\\(|\\.equals\\s*\\(\\s*\\w*(token|secret)");

    @Test
    void sameSecretComparesWholeStrings() {
        String t = "0123456789abcdef0123456789abcdef";
        assertTrue(Admission.sameSecret(t, new String(t.toCharArray())));
        assertFalse(Admission.sameSecret(t, t.substring(0, 31) + "0"), "differs in the last character");
        assertFalse(Admission.sameSecret(t, "1" + t.substring(1)), "differs in the first character");
        assertFalse(Admission.sameSecret(t, t.substring(0, 16)), "a prefix");
        assertFalse(Admission.sameSecret(t, t + "0"), "longer");
        assertFalse(Admission.sameSecret(t, ""));
        assertFalse(Admission.sameSecret(t, null));
        assertFalse(Admission.sameSecret(null, t));
    }

    @Test
    void everyComparisonOfASecretIsConstantTime() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String dir : List.of("server", "hosted", "orb")) {
            try (Stream<Path> files = Files.walk(SRC.resolve(dir))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    String code = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
                    Matcher m = EQUALS_ON_SECRET.matcher(code);
                    while (m.find()) {
                        wrong.add(SRC.relativize(f) + ": " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        for (String f : List.of("server/groups/Admission.java", "orb/AdminCredential.java",
                "server/security/JoinKeys.java")) {
            assertTrue(Files.readString(SRC.resolve(f)).contains("MessageDigest.isEqual("), f);
        }
        for (String f : List.of("server/groups/Membership.java", "server/groups/Liveness.java")) {
            assertTrue(Files.readString(SRC.resolve(f)).contains("Admission.sameSecret("), f);
        }
    }

    @Test
    void aWrongTokenDiffersOnlyInItsLastCharacterAndIsStillRefused() {
        GroupCore core = GroupCoreTest.classroomCore();
        String token = "0123456789abcdef0123456789abcdef";
        Outcome joined = core.apply(new GroupCommand.Join("r1", "ann", "Student", false, token, 1));
        long id = ((Ticket) joined.result()).member().id();
        assertEquals(null, core.checkMember(id, token));
        assertTrue(core.checkMember(id, token.substring(0, 31) + "0") != null);
        assertFalse(((Ticket) joined.result()).toString().contains(token), "a ticket does not show its token");
    }
}
