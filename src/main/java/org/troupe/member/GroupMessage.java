package org.troupe.member;

/**
 * A message of a group as the stack carries it: its sender and the sender's message id (1, 2, 3
 * ... in send order), its destination, its type, its payload, and, for a reactive message, the
 * query it answers. The payload array is shared, not copied: do not modify it.
 */
public record GroupMessage(long source, long messageId, Destination destination, String type, byte[] payload,
        boolean proactive, long answersSource, long answersMessageId) {
}
