package org.troupe.member;

import java.nio.charset.StandardCharsets;

/**
 * A delivered message: the message, its place in the group's total order, and its sender as
 * the view knew it when the message was delivered.
 */
public record Received(GroupMessage message, long sequenceId, MemberInfo sender) implements Delivery {
    public String type() {
        return message.type();
    }

    public byte[] payload() {
        return message.payload();
    }

    /** The payload decoded as UTF-8. */
    public String text() {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }
}
