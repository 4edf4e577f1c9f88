package org.troupe.server.events.corba;

import org.omg.CosEventChannelAdmin.EventChannel;
import org.troupe.idl.Events.ChannelExists;
import org.troupe.idl.Events.ChannelInfo;
import org.troupe.idl.Events.EventChannelFactoryPOA;
import org.troupe.idl.Events.InvalidName;
import org.troupe.idl.Events.UnknownChannel;

/** The IDL face of the {@link ChannelDirectory}. */
public final class ChannelFactoryServant extends EventChannelFactoryPOA {
    private final ChannelDirectory directory;

    public ChannelFactoryServant(ChannelDirectory directory) {
        this.directory = directory;
    }

    @Override
    public EventChannel create_channel(String name) throws ChannelExists, InvalidName {
        return directory.create(name);
    }

    @Override
    public EventChannel find_channel(String name) throws UnknownChannel {
        return directory.find(name);
    }

    @Override
    public ChannelInfo channel_info(String name) throws UnknownChannel {
        return directory.info(name);
    }

    @Override
    public ChannelInfo[] list_channels() {
        return directory.list().toArray(new ChannelInfo[0]);
    }

    @Override
    public void destroy_channel(String name) throws UnknownChannel {
        directory.destroy(name);
    }
}
