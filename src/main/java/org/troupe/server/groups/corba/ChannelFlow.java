package org.troupe.server.groups.corba;

import org.troupe.server.events.EventChannelCore;
import org.troupe.server.groups.FlowGate;

/** A group channel's flow control as the group's {@link FlowGate} sees it. */
final class ChannelFlow implements FlowGate.Flow {
    private final EventChannelCore channel;

    ChannelFlow(EventChannelCore channel) {
        this.channel = channel;
    }

    @Override
    public boolean open() {
        return channel.flowOpen();
    }

    @Override
    public boolean await(long maxNanos) throws InterruptedException {
        return channel.awaitFlow(maxNanos);
    }

    @Override
    public long timeoutNanos() {
        return channel.flowTimeoutNanos();
    }

    @Override
    public void timedOut() {
        channel.countFlowTimeout();
    }
}
