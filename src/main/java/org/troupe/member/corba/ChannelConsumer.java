package org.troupe.member.corba;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.OutputStream;
import org.omg.CORBA.portable.ResponseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.cdr.FastAny;
import org.troupe.cdr.FastPushDispatch;
import org.troupe.idl.Events.BatchPushConsumerPOA;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.SequenceMessageHelper;
import org.troupe.idl.Groups.SequenceMessageListHelper;
import org.troupe.idl.Groups.UpdateView;
import org.troupe.idl.Groups.UpdateViewHelper;
import org.troupe.member.model.ChannelStats;
import org.troupe.member.stack.StackEvent;
import org.troupe.wire.MemberIdl;

/**
 * The push consumer the Group Manager connects to the group's channel at a member's join: each
 * channel event becomes stack events, in order (a MessageList or SequenceMessageList one per
 * entry), passed up as they come, on the ORB's thread. Events that come before the join's reply
 * wait (bounded) until {@link #joined}, which passes up the Joined event first. A disconnect by
 * the channel is reported to the transport.
 */
final class ChannelConsumer extends BatchPushConsumerPOA implements org.troupe.orb.ReaderDispatch.Target {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelConsumer.class);
    /** Stack events that may wait for the join's reply. */
    private static final int PRE_JOIN_LIMIT = 1 << 20;

    private final ORB orb;
    private final String group;
    private final ChannelCounter counter;
    private final Consumer<StackEvent> up;
    private final Runnable onDisconnect;
    private final List<StackEvent> preJoin = new ArrayList<>();
    private final StreamPosition position;
    private volatile boolean joined;
    private boolean retired;
    /** Its pushes run on the thread that read them (the group's listener is inline). */
    private volatile boolean onReaderThread;

    /**
     * @param up passes a stack event up, in turn with the stack's other up events
     * @param onDisconnect told when the channel disconnects this consumer
     */
    ChannelConsumer(ORB orb, String group, ChannelStats stats, Consumer<StackEvent> up, Runnable onDisconnect,
            StreamPosition position) {
        this.position = position;
        this.orb = orb;
        this.group = group;
        this.counter = new ChannelCounter(stats);
        this.up = up;
        this.onDisconnect = onDisconnect;
    }

    /**
     * The consumer that takes over from {@code old} after the member moved to another server: it
     * passes events up as they come, and {@code old} passes nothing more.
     */
    ChannelConsumer successor() {
        ChannelConsumer next = new ChannelConsumer(orb, group, counter, up, onDisconnect, position);
        next.joined = true;
        next.onReaderThread = onReaderThread;
        synchronized (preJoin) {
            retired = true;
        }
        return next;
    }

    private ChannelConsumer(ORB orb, String group, ChannelCounter counter, Consumer<StackEvent> up,
            Runnable onDisconnect, StreamPosition position) {
        this.orb = orb;
        this.group = group;
        this.counter = counter;
        this.up = up;
        this.onDisconnect = onDisconnect;
        this.position = position;
    }

    /**
     * From now on its pushes may run on the thread that read them, where the ORB allows it
     * ({@link org.troupe.orb.ReaderDispatch}): for a group whose listener is inline.
     */
    void dispatchOnReaderThread() {
        onReaderThread = true;
    }

    @Override
    public boolean onReaderThread(String operation) {
        return onReaderThread;
    }

    /** The join went through: passes up {@code j}, then what came before it; from now on, events as they come. */
    void joined(StackEvent.Joined j) {
        synchronized (preJoin) {
            up.accept(j);
            for (StackEvent e : preJoin) {
                up.accept(e);
            }
            preJoin.clear();
            joined = true;
        }
    }

    @Override
    public OutputStream _invoke(String method, InputStream in, ResponseHandler handler) {
        OutputStream out = FastPushDispatch.invoke(orb, method, in, handler, this);
        return out != null ? out : super._invoke(method, in, handler);
    }

    @Override
    public void push(Any data) {
        arrived(data);
    }

    @Override
    public void push_batch(Any[] events) {
        for (Any a : events) {
            arrived(a);
        }
    }

    @Override
    public void disconnect_push_consumer() {
        synchronized (preJoin) {
            if (retired) {
                return; // the old server of a member that moved on
            }
        }
        onDisconnect.run();
    }

    private void arrived(Any a) {
        synchronized (preJoin) { // one push at a time; nothing passes once retired
            if (retired) {
                return;
            }
            if (joined) {
                convert(a, up);
            } else if (preJoin.size() < PRE_JOIN_LIMIT) {
                convert(a, preJoin::add);
            } else {
                throw new org.omg.CORBA.NO_RESOURCES("Troupe: too many events before the join completed");
            }
        }
    }

    /** Turns one channel event into stack events. */
    private void convert(Any a, Consumer<StackEvent> sink) {
        Object struct = a instanceof FastAny f ? f.struct() : null;
        if (struct == null) { // not read by the registered codecs (a plain ORB any): through the helpers
            struct = extract(a);
        }
        counter.count(struct);
        if (struct instanceof Message m) {
            message(m, sink);
        } else if (struct instanceof Message[] list) {
            for (Message m : list) {
                message(m, sink);
            }
        } else if (struct instanceof SequenceMessage[] list) {
            for (SequenceMessage s : list) {
                sink.accept(ordered(s));
            }
        } else if (struct instanceof SequenceMessage s) {
            sink.accept(ordered(s));
        } else if (struct instanceof UpdateView u) {
            position.ordered(u.sequence_id);
            sink.accept(new StackEvent.ViewArrived(MemberIdl.fromIdl(u)));
        } else {
            LOG.debug("group {}: ignoring an event of type {}", group, a.type());
        }
    }

    private void message(Message m, Consumer<StackEvent> sink) {
        if (position.fresh(m.source, m.message_id)) { // else received from the server before: replayed
            sink.accept(new StackEvent.MessageArrived(MemberIdl.fromIdl(m)));
        }
    }

    private StackEvent.OrderArrived ordered(SequenceMessage s) {
        position.ordered(s.sequence_id);
        return new StackEvent.OrderArrived(s.source, s.message_id, s.sequence_id, MemberIdl.fromIdl(s.destination),
                s.message_type);
    }

    /** The struct in a plain any, read by its helper; null if it holds none of the group's structs. */
    private static Object extract(Any a) {
        String id;
        try {
            id = a.type().id();
        } catch (org.omg.CORBA.TypeCodePackage.BadKind e) {
            return null;
        }
        if (id.equals(MessageHelper.id())) {
            return MessageHelper.extract(a);
        }
        if (id.equals(MessageListHelper.id())) {
            return MessageListHelper.extract(a);
        }
        if (id.equals(SequenceMessageListHelper.id())) {
            return SequenceMessageListHelper.extract(a);
        }
        if (id.equals(SequenceMessageHelper.id())) {
            return SequenceMessageHelper.extract(a);
        }
        if (id.equals(UpdateViewHelper.id())) {
            return UpdateViewHelper.extract(a);
        }
        return null;
    }
}
