package org.troupe.server.groups.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.groups.GroupCore;
import org.troupe.server.security.JoinKeys;

/**
 * A group's join key is part of its replicated state as its salted hash only: a creation entry
 * carries it, a snapshot keeps it, and an entry or snapshot written before join keys existed
 * reads as a group without one.
 */
@Tag("unit")
class JoinKeyStateTest {
    private static final String KEY = "correct horse battery staple";

    private static ReplicatedGroup group() throws Exception {
        org.troupe.protocol.ApplicationProtocol teaching = ProtocolLoader.loadBundled("tele-teaching");
        return new ReplicatedGroup("lesson", (name, descriptor, maxPayload) -> new GroupCore(name, teaching, true,
                maxPayload), (group, host) -> { }, 1024, 1 << 20);
    }

    @Test
    void theCreationEntryAndTheSnapshotCarryTheHashOnly() throws Exception {
        String hash = JoinKeys.hash(KEY);
        byte[] entry = GroupWire.create(new byte[] {1}, 1 << 20, hash);
        assertFalse(new String(entry, StandardCharsets.ISO_8859_1).contains(KEY), "the key itself is not in the log");
        ReplicatedGroup g = group();
        g.apply(1, 1, entry);
        assertEquals(hash, g.joinKeyHash());

        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        g.writeSnapshot(snapshot);
        assertFalse(snapshot.toString(StandardCharsets.ISO_8859_1).contains(KEY));
        ReplicatedGroup restored = group();
        restored.readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));
        assertTrue(restored.exists());
        assertEquals(hash, restored.joinKeyHash());
        assertTrue(JoinKeys.matches(restored.joinKeyHash(), KEY));
        assertFalse(JoinKeys.matches(restored.joinKeyHash(), KEY + "!"));
    }

    @Test
    void entriesAndSnapshotsOfBeforeReadAsGroupsWithoutAKey() throws Exception {
        ReplicatedGroup g = group();
        g.apply(1, 1, GroupWire.create(new byte[] {1}, 1 << 20)); // as written before join keys
        assertTrue(g.exists());
        assertNull(g.joinKeyHash());

        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        g.writeSnapshot(snapshot);
        assertEquals(1, snapshot.toByteArray()[0], "the layout of before: a boolean TRUE, then the group");
        ReplicatedGroup restored = group();
        restored.readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));
        assertTrue(restored.exists());
        assertNull(restored.joinKeyHash());
    }
}
