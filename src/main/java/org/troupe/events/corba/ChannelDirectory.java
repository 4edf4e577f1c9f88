package org.troupe.events.corba;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.troupe.events.ChannelSettings;
import org.troupe.events.EventChannelCore;
import org.troupe.idl.Events.ChannelExists;
import org.troupe.idl.Events.ChannelInfo;
import org.troupe.idl.Events.InvalidName;
import org.troupe.idl.Events.UnknownChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named channels of one server. Channel objects live in a persistent POA under their name,
 * so a channel's corbaloc ({@code corbaloc:iiop:HOST:PORT/Troupe/channels/NAME}) is stable.
 */
public final class ChannelDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelDirectory.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ORB orb;
    private final ChannelSettings settings;
    private final ServantRegistry channelObjects;
    private final ServantRegistry proxyObjects;
    private final PeerCalls peerCalls;
    private final ChannelBinding binding;
    private final AtomicLong proxyIds = new AtomicLong();
    private final Map<String, ChannelServant> channels = new ConcurrentSkipListMap<>();

    public ChannelDirectory(ORB orb, ChannelSettings settings, ServantRegistry channelObjects,
            ServantRegistry proxyObjects, PeerCalls peerCalls, ChannelBinding binding) {
        this.orb = orb;
        this.settings = settings;
        this.channelObjects = channelObjects;
        this.proxyObjects = proxyObjects;
        this.peerCalls = peerCalls;
        this.binding = binding;
    }

    /** Creates a channel; its name must be new and valid. */
    public synchronized EventChannel create(String name) throws ChannelExists, InvalidName {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidName(String.valueOf(name),
                    "a channel name is 1-64 characters of letters, digits, '.', '_' and '-'");
        }
        if (channels.containsKey(name)) {
            throw new ChannelExists(name);
        }
        EventChannelCore core = new EventChannelCore(name, settings);
        ChannelServant servant = new ChannelServant(core, orb, proxyObjects, peerCalls, proxyIds,
                () -> destroyQuietly(name));
        channels.put(name, servant);
        EventChannel ref = EventChannelHelper.unchecked_narrow(
                channelObjects.register(name, servant, EventChannelHelper.id()));
        binding.bind(name, ref);
        LOG.info("channel {} created", name);
        return ref;
    }

    public EventChannel find(String name) throws UnknownChannel {
        if (name == null || !channels.containsKey(name)) {
            throw new UnknownChannel(String.valueOf(name));
        }
        return reference(name);
    }

    private EventChannel reference(String name) {
        return EventChannelHelper.unchecked_narrow(channelObjects.reference(name, EventChannelHelper.id()));
    }

    /** The core of a channel, for a publisher in this server (a group's sequencer). */
    public org.troupe.events.EventChannelCore core(String name) throws UnknownChannel {
        ChannelServant s = name == null ? null : channels.get(name);
        if (s == null) {
            throw new UnknownChannel(String.valueOf(name));
        }
        return s.core();
    }

    public ChannelInfo info(String name) throws UnknownChannel {
        ChannelServant s = name == null ? null : channels.get(name);
        if (s == null) {
            throw new UnknownChannel(String.valueOf(name));
        }
        return s.info(reference(name));
    }

    public List<ChannelInfo> list() {
        List<ChannelInfo> out = new ArrayList<>();
        for (Map.Entry<String, ChannelServant> e : channels.entrySet()) {
            out.add(e.getValue().info(reference(e.getKey())));
        }
        return out;
    }

    /** Destroys a channel: every connected client is told, every object disposed. */
    public void destroy(String name) throws UnknownChannel {
        ChannelServant s;
        synchronized (this) {
            s = name == null ? null : channels.remove(name);
            if (s == null) {
                throw new UnknownChannel(String.valueOf(name));
            }
            channelObjects.unregister(name);
        }
        binding.unbind(name);
        s.disconnectAll();
    }

    private void destroyQuietly(String name) {
        try {
            destroy(name);
        } catch (UnknownChannel e) {
            // destroyed concurrently: nothing left to do
        }
    }

    /** Destroys every channel (server shutdown). */
    public void destroyAll() {
        for (String name : new ArrayList<>(channels.keySet())) {
            destroyQuietly(name);
        }
    }
}
