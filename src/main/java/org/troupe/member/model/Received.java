package org.troupe.member.model;

import java.nio.charset.StandardCharsets;

/**
 * A delivered message: the message, its place in the group's total order, and its sender as
 * the view knew it when the message was delivered.
 */
public record Received(GroupMessage message, long sequenceId, MemberInfo sender) implements Delivery {
    /** A delivery of {@code m} at {@code sequenceId}, its sender as {@code view} knows it. */
    public static Received of(GroupMessage m, long sequenceId, View view) {
        MemberInfo sender = view == null ? null : view.member(m.source());
        if (sender == null) {
            sender = new MemberInfo(m.source(), "member-" + m.source(), "");
        }
        return new Received(m, sequenceId, sender);
    }

    /** True for a response: {@link GroupMessage#answersMessageId()} names the query it answers. */
    public boolean isResponse() {
        return message.isResponse();
    }

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
