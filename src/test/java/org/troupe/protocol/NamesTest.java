package org.troupe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Names people read: Unicode text, but nothing that forges or disguises what they read. */
@Tag("unit")
class NamesTest {

    @Test
    void textInAnyScriptIsANameButControlAndFormatCharactersAreNot() {
        for (String ok : new String[] {"ann", "Zoë", "你好 学生", "Grüße", "Player 1", "a.b-c_d", "x".repeat(64)}) {
            assertNull(Names.problem(ok, Names.MEMBER_MAX), ok);
        }
        assertEquals("it is empty", Names.problem("", Names.MEMBER_MAX));
        assertEquals("it is longer than 64 characters", Names.problem("x".repeat(65), Names.MEMBER_MAX));
        assertEquals("it starts or ends with a space", Names.problem(" ann", Names.MEMBER_MAX));
        assertTrue(Names.problem("ann\nGROUP x: eve joined", 64).contains("U+000A"));
        assertTrue(Names.problem("\u001b[31mred", 64).contains("U+001B"));
        assertTrue(Names.problem("bob\u202eevil", 64).contains("U+202E"), "a bidi override disguises a name");
        assertNotNull(Names.problem("a\u2028b", 64));
        assertNotNull(Names.problem("\ue000", 64), "private use");
        assertNull(Names.problem("你".repeat(64), 64), "counted in characters, not octets");
    }
}
