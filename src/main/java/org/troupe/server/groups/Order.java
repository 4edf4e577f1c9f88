package org.troupe.server.groups;

/**
 * A message's place in the group's total order: what a SequenceMessage says. It carries the
 * message's destination and type, so that a member learns whether it will receive the message.
 */
public record Order(Envelope message, long sequenceId) {
    public Ref ref() {
        return message.ref();
    }
}
