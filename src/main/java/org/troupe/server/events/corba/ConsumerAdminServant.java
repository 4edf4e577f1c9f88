package org.troupe.server.events.corba;

import java.util.function.Consumer;
import org.omg.CosEventChannelAdmin.ConsumerAdminPOA;
import org.omg.CosEventChannelAdmin.ProxyPullSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushSupplierHelper;
import org.troupe.idl.Events.BatchProxyPullSupplierHelper;

/**
 * Hands consumers a new proxy each call. A group's channel has two kinds: its own, which refuses
 * (consumers come in through the manager or a member's view of the channel), and one per member
 * (see {@link MemberChannelServant}), which tells its member's view of every proxy it hands out.
 */
final class ConsumerAdminServant extends ConsumerAdminPOA {
    private final ChannelServant channel;
    private final Runnable gate;
    private final Consumer<ChannelProxy> onObtained;
    private final org.troupe.server.events.EventFilter filter;

    /** An admin that hands out proxies to anyone holding the channel. */
    ConsumerAdminServant(ChannelServant channel) {
        this(channel, () -> { }, p -> { }, null);
    }

    /**
     * @param gate run before every {@code obtain_*}: it raises the exception that refuses it
     * @param onObtained told of every proxy handed out
     * @param filter what every consumer connected through this admin is sent of each event
     *     (null: every event as it is)
     */
    ConsumerAdminServant(ChannelServant channel, Runnable gate, Consumer<ChannelProxy> onObtained,
            org.troupe.server.events.EventFilter filter) {
        this.channel = channel;
        this.gate = gate;
        this.onObtained = onObtained;
        this.filter = filter;
    }

    // gate, obtain and onObtained run as one step (a gate that counts what it handed out stays exact)
    @Override
    public synchronized ProxyPushSupplier obtain_push_supplier() {
        check();
        ProxyPushSupplierServant s = new ProxyPushSupplierServant(channel);
        s.filter(filter);
        ProxyPushSupplier ref = ProxyPushSupplierHelper.unchecked_narrow(
                channel.addProxy(s, s, ProxyPushSupplierHelper.id()));
        onObtained.accept(s);
        return ref;
    }

    @Override
    public synchronized ProxyPullSupplier obtain_pull_supplier() {
        check();
        ProxyPullSupplierServant s = new ProxyPullSupplierServant(channel, filter);
        ProxyPullSupplier ref = BatchProxyPullSupplierHelper.unchecked_narrow(
                channel.addProxy(s, s, BatchProxyPullSupplierHelper.id()));
        onObtained.accept(s);
        return ref;
    }

    private void check() {
        channel.checkAlive();
        gate.run();
    }
}
