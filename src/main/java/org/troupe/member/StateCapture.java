package org.troupe.member;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.model.Destination;
import org.troupe.member.stack.StackEvent;
import org.troupe.member.stack.StateChunks;
import org.troupe.protocol.SystemTypes;

/**
 * Group state transfer, the provider's side: runs a joiner's state capture when it reaches the
 * application's side of the delivery queue (every earlier delivery was handed over, no later one
 * yet), and replies to the joiner with the state, in chunks, or with why there is none.
 */
final class StateCapture {
    private static final Logger LOG = LoggerFactory.getLogger(StateCapture.class);

    /** Sends one of Troupe's own messages. */
    @FunctionalInterface
    interface SystemSender {
        void send(String type, byte[] payload, Destination destination) throws TroupeException;
    }

    private final String group;
    private final StateProvider provider;
    private final long maxPayload;
    private final SystemSender sender;

    StateCapture(String group, StateProvider provider, long maxPayload, SystemSender sender) {
        this.group = group;
        this.provider = provider;
        this.maxPayload = maxPayload;
        this.sender = sender;
    }

    void run(StackEvent.CaptureState c) {
        byte[] state = null;
        String none = null;
        if (provider == null) {
            none = "no state provider";
        } else {
            try {
                state = provider.getState();
                if (state == null) {
                    none = "its state provider returned none";
                }
            } catch (Exception e) {
                LOG.warn("group {}: state provider failed; the joiner asks another member", group, e);
                none = "its state provider failed: " + e;
            }
        }
        try {
            if (state == null) {
                sender.send(SystemTypes.STATE, StateChunks.none(c.attempt(), c.sequenceId(), none),
                        Destination.member(c.joiner()));
            } else {
                for (byte[] chunk : StateChunks.reply(c.attempt(), c.sequenceId(), c.delivered(), state, maxPayload)) {
                    sender.send(SystemTypes.STATE, chunk, Destination.member(c.joiner()));
                }
            }
        } catch (TroupeException | IllegalArgumentException e) {
            LOG.warn("group {}: cannot send the state to member {}: {}", group, c.joiner(), e.getMessage());
        }
    }
}
