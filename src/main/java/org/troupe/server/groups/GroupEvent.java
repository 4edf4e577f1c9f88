package org.troupe.server.groups;

import java.util.List;

/**
 * What a group publishes into its channel, in the order the core produced it: every member reads
 * the same stream, and sequence ids tie it into one total order.
 */
public sealed interface GroupEvent {

    /** The messages of one send call (one event: a Message, or a MessageList of several). */
    record Messages(List<Envelope> messages) implements GroupEvent {
        public Messages {
            messages = List.copyOf(messages);
        }
    }

    /** The order of some published messages (one event: a SequenceMessageList). */
    record Orders(List<Order> orders) implements GroupEvent {
        public Orders {
            orders = List.copyOf(orders);
        }
    }

    /**
     * A new view, at its place in the total order (an UpdateView): who came in, who went out and
     * why.
     */
    record ViewInstalled(long sequenceId, View view, List<MemberInfo> joined, List<MemberInfo> left,
            List<MemberInfo> crashed) implements GroupEvent {
        public ViewInstalled {
            joined = List.copyOf(joined);
            left = List.copyOf(left);
            crashed = List.copyOf(crashed);
        }
    }
}
