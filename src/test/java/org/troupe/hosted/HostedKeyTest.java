package org.troupe.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class HostedKeyTest {

    @Test
    void aKeyRoundTripsAndIsProvenByItsTokenOnly() {
        HostedKey k = HostedKey.of("math-101.a", 7, "token-7");
        assertEquals("math-101.a", k.group());
        assertEquals(7, k.member());
        assertEquals(32, k.proof().length());
        assertTrue(k.id().startsWith("math-101.a/7/"), k.id());
        HostedKey back = HostedKey.parse(k.id());
        assertEquals(k, back);
        assertTrue(back.provenBy("token-7"));
        assertFalse(back.provenBy("token-8"));
        assertFalse(back.provenBy(null));
    }

    @Test
    void theProofDependsOnGroupMemberAndToken() {
        String p = HostedKey.of("g", 1, "t").proof();
        assertEquals(p, HostedKey.of("g", 1, "t").proof(), "every server computes the same key");
        assertNotEquals(p, HostedKey.of("g", 2, "t").proof());
        assertNotEquals(p, HostedKey.of("h", 1, "t").proof());
        assertNotEquals(p, HostedKey.of("g", 1, "u").proof());
        // another member's proof does not prove this one
        HostedKey forged = new HostedKey("g", 2, p);
        assertFalse(forged.provenBy("t"));
    }

    @Test
    void badKeysAreRefusedWithWhatIsWrong() {
        String proof = "0123456789abcdef0123456789abcdef";
        assertThrows(IllegalArgumentException.class, () -> HostedKey.parse(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostedKey.parse("member.abc")).getMessage()
                .contains("GROUP/MEMBER/PROOF"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostedKey.parse("/1/" + proof)).getMessage()
                .contains("GROUP/MEMBER/PROOF"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostedKey.parse("g/x/" + proof)).getMessage()
                .contains("member id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostedKey.parse("g/0/" + proof)).getMessage()
                .contains("member id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostedKey.parse("g/-1/" + proof)).getMessage()
                .contains("member id"));
        assertThrows(IllegalArgumentException.class, () -> HostedKey.parse("g/99999999999999999999/" + proof));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostedKey.parse("g/1/ABC")).getMessage()
                .contains("hex"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HostedKey.parse("g/1/" + proof.toUpperCase())).getMessage().contains("hex"));
        assertEquals("hosted member 3 of group g", HostedKey.parse("g/3/" + proof).toString());
    }
}
