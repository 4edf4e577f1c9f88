package org.troupe.events.corba;

import org.omg.CosEventChannelAdmin.ConsumerAdminPOA;
import org.omg.CosEventChannelAdmin.ProxyPullSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushSupplierHelper;
import org.troupe.idl.Events.BatchProxyPullSupplierHelper;

/** Hands consumers a new proxy each call. */
final class ConsumerAdminServant extends ConsumerAdminPOA {
    private final ChannelServant channel;

    ConsumerAdminServant(ChannelServant channel) {
        this.channel = channel;
    }

    @Override
    public ProxyPushSupplier obtain_push_supplier() {
        channel.checkAlive();
        ProxyPushSupplierServant s = new ProxyPushSupplierServant(channel);
        return ProxyPushSupplierHelper.unchecked_narrow(
                channel.addProxy(s, s, ProxyPushSupplierHelper.id()));
    }

    @Override
    public ProxyPullSupplier obtain_pull_supplier() {
        channel.checkAlive();
        ProxyPullSupplierServant s = new ProxyPullSupplierServant(channel);
        return BatchProxyPullSupplierHelper.unchecked_narrow(
                channel.addProxy(s, s, BatchProxyPullSupplierHelper.id()));
    }
}
