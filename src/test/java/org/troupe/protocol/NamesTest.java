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

    @Test
    void groupAndChannelNamesAreAsciiWordsAndTheNamesInUseStayValid() {
        for (String ok : new String[] {"math-101", "cpp-class", "private-seq", "a.b_c-d", "g".repeat(58)}) {
            assertNull(Names.groupRefusal(ok), ok);
        }
        for (String ok : new String[] {"prices", "d.t", "prices.eu", "cli-twice", "c".repeat(64)}) {
            assertNull(Names.channelRefusal(ok), ok);
        }
        for (String ok : new String[] {"member:9", "Tess Grüße", "观察者 Grüße", "Player 1"}) {
            assertNull(Names.refusal(Names.Text.MEMBER, ok), ok);
        }
        for (String ok : new String[] {"Teacher", "Student", "Question", "TeacherAnswer", "tele-teaching"}) {
            assertNull(Names.refusal(Names.Text.ROLE, ok), ok);
            assertNull(Names.refusal(Names.Text.PROTOCOL, ok), ok);
        }
        assertEquals("the group name 'a/b' is refused: it holds the character U+002F; " + Names.GROUP_RULE,
                Names.groupRefusal("a/b"));
        assertEquals("the group name '' is refused: it is empty; " + Names.GROUP_RULE, Names.groupRefusal(""));
        assertEquals("the group name 'null' is refused: it is empty; " + Names.GROUP_RULE, Names.groupRefusal(null));
        assertEquals("the group name 'Zoë' is refused: it holds the character U+00EB; " + Names.GROUP_RULE,
                Names.groupRefusal("Zoë"));
        assertEquals("the channel name 'x..y' is refused: its '.' is first, last or not the only one; "
                + Names.CHANNEL_RULE, Names.channelRefusal("x..y"));
        assertEquals("the channel name 'a\\u000ab' is refused: it holds the character U+000A; " + Names.CHANNEL_RULE,
                Names.channelRefusal("a\nb"));
        assertEquals("the message type 'a\\u202eb' is refused: it holds the character U+202E (control, format or"
                + " unassigned characters are not allowed); a message type is 1-256 characters of " + Names.TEXT_RULE,
                Names.refusal(Names.Text.MESSAGE_TYPE, "a\u202eb"));
    }

    @Test
    void aQuotedNameCannotBreakALine() {
        assertEquals("ann\\u000a\\u001b[31m\\u202e", Names.printable("ann\n\u001b[31m\u202e"));
        assertEquals("x".repeat(80) + "...", Names.printable("x".repeat(200)));
        assertEquals("Zoë 学生", Names.printable("Zoë 学生"));
    }
}
