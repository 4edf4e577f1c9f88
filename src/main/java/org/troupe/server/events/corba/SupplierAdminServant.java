package org.troupe.server.events.corba;

import org.omg.CosEventChannelAdmin.ProxyPullConsumer;
import org.omg.CosEventChannelAdmin.ProxyPullConsumerHelper;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.omg.CosEventChannelAdmin.SupplierAdminPOA;
import org.troupe.idl.Events.BatchProxyPushConsumerHelper;

/**
 * Hands suppliers a new proxy each call; on a channel whose supplier side is closed (a group's
 * channel, see {@link ChannelDirectory#createPrivate}) it refuses with NO_PERMISSION.
 */
final class SupplierAdminServant extends SupplierAdminPOA {
    private final ChannelServant channel;

    SupplierAdminServant(ChannelServant channel) {
        this.channel = channel;
    }

    @Override
    public ProxyPushConsumer obtain_push_consumer() {
        channel.checkAlive();
        channel.checkSupplierSideOpen();
        ProxyPushConsumerServant s = new ProxyPushConsumerServant(channel);
        return BatchProxyPushConsumerHelper.unchecked_narrow(
                channel.addProxy(s, s, BatchProxyPushConsumerHelper.id()));
    }

    @Override
    public ProxyPullConsumer obtain_pull_consumer() {
        channel.checkAlive();
        channel.checkSupplierSideOpen();
        ProxyPullConsumerServant s = new ProxyPullConsumerServant(channel);
        return ProxyPullConsumerHelper.unchecked_narrow(
                channel.addProxy(s, s, ProxyPullConsumerHelper.id()));
    }
}
