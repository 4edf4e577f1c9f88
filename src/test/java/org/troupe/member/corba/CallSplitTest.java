package org.troupe.member.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;

/** How a drained batch of messages is cut into send calls: at most 1 MiB of payload each, at least one message. */
@Tag("unit")
class CallSplitTest {
    private static List<GroupMessage> batch(int... sizes) {
        List<GroupMessage> out = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            out.add(new GroupMessage(1, i + 1, Destination.group(), "T", new byte[sizes[i]], true, 0, 0));
        }
        return out;
    }

    private static List<Integer> ends(List<GroupMessage> b) {
        List<Integer> out = new ArrayList<>();
        for (int from = 0; from < b.size(); from = SendQueue.callEnd(b, from)) {
            out.add(SendQueue.callEnd(b, from));
        }
        return out;
    }

    @Test
    void smallMessagesGoInOneCall() {
        assertEquals(List.of(3), ends(batch(10, 20, 30)));
    }

    @Test
    void payloadsUpToOneMebibyteShareACallAndOneOctetMoreStartsTheNext() {
        int half = SendQueue.CALL_PAYLOAD_BYTES / 2;
        assertEquals(List.of(2), ends(batch(half, half)));
        assertEquals(List.of(2, 3), ends(batch(half, half, 1)));
        assertEquals(List.of(1, 3), ends(batch(600_000, 600_000, 10)));
    }

    @Test
    void aMessageLargerThanTheLimitGoesAlone() {
        int big = SendQueue.CALL_PAYLOAD_BYTES + 1;
        assertEquals(List.of(1, 2, 4), ends(batch(big, big, 5, 5)));
        assertEquals(List.of(1, 2), ends(batch(5, big)));
    }
}
