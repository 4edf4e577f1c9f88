package org.troupe.server.groups.corba;

import java.util.List;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.troupe.cdr.FastAny;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.SequenceMessageListHelper;
import org.troupe.idl.Groups.UpdateViewHelper;
import org.troupe.server.groups.GroupEvent;
import org.troupe.wire.CoreIdl;
import org.troupe.wire.GroupCodecs;

/**
 * A group's events as the anys of its channel, each holding its IDL struct (written by its
 * helper for each consumer, never copied): the Messages of one send call as a Message or a
 * MessageList, an order as a SequenceMessageList, a view as an UpdateView.
 */
final class GroupEventEncoder {
    private final ORB orb;

    GroupEventEncoder(ORB orb) {
        this.orb = orb;
    }

    Any[] encode(List<GroupEvent> events) {
        Any[] out = new Any[events.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(events.get(i));
        }
        return out;
    }

    private Any encode(GroupEvent e) {
        if (e instanceof GroupEvent.Messages m) {
            if (m.messages().size() == 1) {
                return FastAny.ofStruct(orb, MessageHelper.type(), GroupCodecs.MESSAGE,
                        CoreIdl.message(m.messages().get(0)));
            }
            return FastAny.ofStruct(orb, MessageListHelper.type(), GroupCodecs.MESSAGE_LIST,
                    CoreIdl.messages(m.messages()));
        }
        if (e instanceof GroupEvent.Orders o) {
            return FastAny.ofStruct(orb, SequenceMessageListHelper.type(), GroupCodecs.SEQUENCE_LIST,
                    CoreIdl.sequenceMessages(o.orders()));
        }
        GroupEvent.ViewInstalled v = (GroupEvent.ViewInstalled) e;
        return FastAny.ofStruct(orb, UpdateViewHelper.type(), GroupCodecs.VIEW, CoreIdl.updateView(v));
    }
}
