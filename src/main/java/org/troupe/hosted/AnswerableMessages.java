package org.troupe.hosted;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.troupe.member.model.Received;

/**
 * The last messages delivered to a hosted member that a response can answer, by (sender,
 * message id): what {@code HostedMember::reply} names with a MessageRef. Bounded: the oldest go.
 */
final class AnswerableMessages {
    /** How many answerable deliveries a hosted member keeps. */
    static final int CAPACITY = 1024;

    private final Set<String> answerableTypes;
    private final Map<String, Received> recent = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Received> eldest) {
            return size() > CAPACITY;
        }
    };

    AnswerableMessages(Set<String> answerableTypes) {
        this.answerableTypes = Set.copyOf(answerableTypes);
    }

    synchronized void delivered(Received r) {
        if (answerableTypes.contains(r.type())) {
            recent.put(key(r.message().source(), r.message().messageId()), r);
        }
    }

    synchronized Received find(long source, long messageId) {
        return recent.get(key(source, messageId));
    }

    private static String key(long source, long messageId) {
        return source + "/" + messageId;
    }
}
