package org.troupe.server.events.corba;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.omg.CosEventChannelAdmin.ConsumerAdmin;
import org.omg.CosEventChannelAdmin.EventChannelPOA;
import org.omg.CosEventChannelAdmin.SupplierAdmin;

/**
 * One member's view of its group's channel: what its join ticket hands out, so that reading the
 * group is tied to being in it. A standard EventChannel whose consumer side connects to the
 * group's channel, every consumer (push or pull) filtered as the member's own consumer is: it is
 * sent only what the member may read (its audience), never the whole stream; its supplier side refuses (messages go through {@code GroupManager::send}),
 * as does {@code destroy}. When the member leaves or is removed, the manager closes it: its
 * objects are gone (OBJECT_NOT_EXIST) and every consumer connected through it is disconnected
 * and told. Object ids carry 64 random bits: a member cannot reach another member's view.
 */
final class MemberChannelServant extends EventChannelPOA {
    private final ChannelServant channel;
    private final ServantRegistry objects;
    private final String id;
    private final String adminId;
    private final ConsumerAdmin consumerAdmin;
    /**
     * How many proxies one view may hold obtained but not connected: the channel's own cap is
     * shared by every member, so one member must not be able to use it up.
     */
    static final int MAX_UNCONNECTED = 64;
    /**
     * How many consumers one member may have connected through its view when it obtains another
     * proxy: each connected consumer holds a queue (and, for push, a thread) of the channel. With
     * {@link #MAX_UNCONNECTED}, one member holds at most 16 + 64 connected consumers.
     */
    static final int MAX_CONNECTED = 16;

    /** The proxies handed out through this view and not yet disposed. */
    private final Map<String, ChannelProxy> obtained = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param reader what every consumer connected through this view is sent of each event: the
     *     member's audience
     */
    MemberChannelServant(ChannelServant channel, ServantRegistry objects, String id,
            org.troupe.server.events.EventFilter reader) {
        this.channel = channel;
        this.objects = objects;
        this.id = id;
        this.adminId = id + "/CA";
        this.consumerAdmin = org.omg.CosEventChannelAdmin.ConsumerAdminHelper.unchecked_narrow(objects.register(
                adminId, new ConsumerAdminServant(channel, this::admit, this::track, reader),
                org.omg.CosEventChannelAdmin.ConsumerAdminHelper.id()));
    }

    String id() {
        return id;
    }

    /** Before a proxy is handed out: refused once closed, or with too many left unconnected. */
    private void admit() {
        if (closed) {
            throw gone();
        }
        obtained.values().removeIf(ChannelProxy::isDisposed); // a client that connects and disconnects in a loop
        long waiting = obtained.values().stream().filter(p -> !p.isConnected()).count();
        if (waiting >= MAX_UNCONNECTED) {
            throw new org.omg.CORBA.IMP_LIMIT("Troupe: this member's view of the group channel already holds "
                    + MAX_UNCONNECTED + " proxies obtained but not connected; connect or disconnect them");
        }
        long connected = obtained.values().stream().filter(ChannelProxy::isConnected).count();
        if (connected >= MAX_CONNECTED) {
            throw new org.omg.CORBA.IMP_LIMIT("Troupe: this member's view of the group channel already has "
                    + MAX_CONNECTED + " consumers connected, the limit per member; disconnect one first");
        }
    }

    private void track(ChannelProxy p) {
        obtained.put(p.state().id(), p);
        if (closed) { // lost a race with close(): the member is gone
            obtained.remove(p.state().id());
            p.disconnectByChannel();
        }
    }

    private static org.omg.CORBA.OBJECT_NOT_EXIST gone() {
        return new org.omg.CORBA.OBJECT_NOT_EXIST("Troupe: this member's view of the group channel is closed:"
                + " the member left or was removed");
    }

    @Override
    public ConsumerAdmin for_consumers() {
        if (closed) {
            throw gone();
        }
        channel.checkAlive();
        return consumerAdmin;
    }

    @Override
    public SupplierAdmin for_suppliers() {
        return channel.for_suppliers(); // whose obtain_* refuse: a group's channel takes no suppliers
    }

    @Override
    public void destroy() {
        throw new org.omg.CORBA.NO_PERMISSION("Troupe: this channel belongs to its group; destroy the group");
    }

    /** The member is gone: this view's objects go, and its consumers are disconnected (and told). */
    void close() {
        closed = true;
        objects.unregister(id);
        objects.unregister(adminId);
        for (ChannelProxy p : obtained.values()) {
            obtained.remove(p.state().id());
            p.disconnectByChannel();
        }
    }
}
