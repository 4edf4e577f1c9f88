package org.troupe.server.groups;

/** Names one message of a group: its sender and the sender's message id. */
public record Ref(long source, long messageId) {
    @Override
    public String toString() {
        return source + "/" + messageId;
    }
}
