package org.troupe.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupe.orb.AdminCredential;
import org.troupe.orb.AdminOperations;

/** The admin credential's file, its comparison, and what it shows of itself. */
@Tag("unit")
class AdminCredentialTest {

    @Test
    void aFileOthersCanReadIsRefusedAndSaysWhy(@TempDir Path dir) throws Exception {
        Path f = Secrets.file(dir, "s", Secrets.random());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminCredential.fromFile(f));
        assertEquals("admin secret file " + f + " is accessible to others than its owner (rw-r--r--): refused; run"
                + " chmod 600 " + f, e.getMessage());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        AdminCredential.fromFile(f);
    }

    @Test
    void aShortOrMissingSecretIsRefused(@TempDir Path dir) throws Exception {
        Path f = Secrets.file(dir, "s", "password");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdminCredential.fromFile(f)).getMessage()
                .contains("shorter than 16 characters"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AdminCredential.fromFile(dir.resolve("none"))).getMessage().contains("does not exist"));
    }

    @Test
    void theFileIsReadWithoutItsNewlineAndMatchesInConstantTime(@TempDir Path dir) throws Exception {
        String secret = Secrets.random();
        AdminCredential c = AdminCredential.fromFile(Secrets.file(dir, "s", secret));
        assertTrue(c.matches(secret.getBytes(StandardCharsets.UTF_8)));
        assertFalse(c.matches((secret + "\n").getBytes(StandardCharsets.UTF_8)));
        assertFalse(c.matches(secret.substring(1).getBytes(StandardCharsets.UTF_8)));
        assertFalse(c.matches(new byte[0]));
        assertFalse(c.matches(null));
        assertTrue(c.matchesBearer("Bearer " + secret));
        assertTrue(c.matchesBearer("bearer " + secret));
        assertFalse(c.matchesBearer("Basic " + secret));
        assertFalse(c.matchesBearer(null));
        assertFalse(c.toString().contains(secret), c.toString());
    }

    @Test
    void theEnvironmentGivesAFileFirstThenASecret(@TempDir Path dir) throws Exception {
        String a = Secrets.random();
        String b = Secrets.random();
        Path f = Secrets.file(dir, "s", a);
        assertTrue(AdminCredential.fromEnvironment(Map.of(AdminCredential.FILE_VARIABLE, f.toString(),
                AdminCredential.SECRET_VARIABLE, b)).matches(a.getBytes(StandardCharsets.UTF_8)));
        assertTrue(AdminCredential.fromEnvironment(Map.of(AdminCredential.SECRET_VARIABLE, b))
                .matches(b.getBytes(StandardCharsets.UTF_8)));
        assertNull(AdminCredential.fromEnvironment(Map.of()));
    }

    @Test
    void administrativeOperationsAreNamedByInterface() {
        String admin = "IDL:troupe.org/Troupe/Groups/GroupsAdministrator:1.0";
        String manager = "IDL:troupe.org/Troupe/Groups/GroupManager:1.0";
        assertTrue(AdminOperations.isAdministrative("destroy_group", admin::equals));
        assertTrue(AdminOperations.isAdministrative("list_groups", admin::equals));
        assertFalse(AdminOperations.isAdministrative("find_group", admin::equals), "a member finds its group");
        for (String open : new String[] {"join", "join_with_key", "send", "order", "heartbeat", "leave", "resume",
            "_get_descriptor"}) {
            assertFalse(AdminOperations.isAdministrative(open, manager::equals), open);
            assertFalse(AdminOperations.mayBeAdministrative(open), open);
        }
        assertTrue(AdminOperations.isAdministrative("info", manager::equals));
        assertFalse(AdminOperations.isAdministrative("destroy_group", manager::equals), "not on another interface");
        assertTrue(AdminOperations.isAdministrative("rebind", "IDL:omg.org/CosNaming/NamingContext:1.0"::equals));
        assertFalse(AdminOperations.isAdministrative("resolve", "IDL:omg.org/CosNaming/NamingContext:1.0"::equals));
    }
}
