package org.troupe.member.model;

/**
 * A message of a group as the stack carries it: its sender and the sender's message id (1, 2, 3
 * ... in send order), its destination, its type, its payload, and, for a reactive message, the
 * query it answers. {@code sequenced} and {@code after} are the server's: a sequenced message
 * waits for its sequence id; one whose order the protocol implies (a response, a turn) is
 * delivered once every sequence id up to {@code after} is. The payload array is shared, not
 * copied: do not modify it.
 */
public record GroupMessage(long source, long messageId, Destination destination, String type, byte[] payload,
        boolean proactive, long answersSource, long answersMessageId, boolean sequenced, long after) {

    /** A message as a sender hands it to its stack (the server stamps the order fields). */
    public GroupMessage(long source, long messageId, Destination destination, String type, byte[] payload,
            boolean proactive, long answersSource, long answersMessageId) {
        this(source, messageId, destination, type, payload, proactive, answersSource, answersMessageId, true, 0);
    }

    /** True for a response: it names the query it answers. */
    public boolean isResponse() {
        return answersMessageId != 0;
    }
}
