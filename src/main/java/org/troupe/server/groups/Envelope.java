package org.troupe.server.groups;

/**
 * One message as the group core sees it: the header it checks and stamps, and a payload it never
 * reads. Immutable: stamping makes a new envelope, the payload array is shared.
 *
 * @param messageId the sender's id for it: 1, 2, 3 ... (FIFO per sender)
 * @param source the sender; stamped by the core (0 or the sender's own id when it arrives)
 * @param destination who it is for
 * @param type one of the group's message types
 * @param payload the application's octets (not copied, never changed)
 * @param proactive false for a response
 * @param answers a response: the query it answers; otherwise {@code 0/0}
 * @param sequenced true when an {@link Order} gives its place in the total order
 * @param after not sequenced (implied order): the sequence id it is delivered after
 */
public record Envelope(long messageId, long source, Address destination, String type, byte[] payload,
        boolean proactive, Ref answers, boolean sequenced, long after) {

    /** Its name in the group. */
    public Ref ref() {
        return new Ref(source, messageId);
    }

    /** This message stamped with its sender and destination, sequenced (its order follows). */
    Envelope sequencedFrom(long sender, Address to) {
        return new Envelope(messageId, sender, to, type, payload, proactive, answers, true, 0);
    }

    /** This message stamped with its sender and its implied place: delivered after {@code point}. */
    Envelope impliedFrom(long sender, long point, Address to) {
        return new Envelope(messageId, sender, to, type, payload, proactive, answers, false, point);
    }
}
