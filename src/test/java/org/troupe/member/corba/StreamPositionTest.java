package org.troupe.member.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a member received of its group's stream: after it moves to another server, which sends
 * everything published after the event that carried its highest sequence id, what it had already
 * is recognised by sender and message id.
 */
@Tag("unit")
class StreamPositionTest {

    @Test
    void aMessageReceivedBeforeIsRecognisedAndTheHighestSequenceIdKept() {
        StreamPosition p = new StreamPosition();
        assertEquals(0, p.sequenceId());
        assertTrue(p.fresh(1, 1));
        assertTrue(p.fresh(1, 2));
        assertTrue(p.fresh(2, 1));
        p.ordered(5);
        p.ordered(3); // never goes back
        assertEquals(5, p.sequenceId());
        // the new server sends again what came after the event that carried 5: messages 2 of 1 and 1 of 2 again
        assertFalse(p.fresh(1, 2));
        assertFalse(p.fresh(2, 1));
        assertTrue(p.fresh(1, 3), "then what is new");
        assertTrue(p.fresh(3, 7), "a sender first seen now");
    }
}
