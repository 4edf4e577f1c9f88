package org.troupe.member.corba;

import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.member.model.ChannelStats;

/**
 * Counts what a member's channel consumer receives into its {@link ChannelStats}: Message events
 * (one Message, or a MessageList of several) by the types they carry, order events
 * (SequenceMessage or a list of them) by the types they order, and other events (views).
 */
final class ChannelCounter {
    private final ChannelStats stats;

    ChannelCounter(ChannelStats stats) {
        this.stats = stats;
    }

    /** Counts one event, given as the struct it carries (null if none was read). */
    void count(Object struct) {
        if (struct instanceof Message m) {
            stats.message(m.message_type);
        } else if (struct instanceof Message[] list && list.length > 0) {
            String[] types = new String[list.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = list[i].message_type;
            }
            stats.messages(types);
        } else if (struct instanceof SequenceMessage[] list && list.length > 0) {
            String[] types = new String[list.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = list[i].message_type;
            }
            stats.order(types);
        } else if (struct instanceof SequenceMessage s) {
            stats.order(new String[] {s.message_type});
        } else {
            stats.other();
        }
    }
}
