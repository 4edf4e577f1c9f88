package org.troupe.server.events.corba;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.events.EventChannelCore;
import org.troupe.idl.Events.ChannelExists;
import org.troupe.idl.Events.ChannelInfo;
import org.troupe.idl.Events.InvalidName;
import org.troupe.idl.Events.UnknownChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named channels of one server. Channel objects live in a persistent POA under their name,
 * so a channel's corbaloc ({@code corbaloc:iiop:HOST:PORT/Troupe/channels/NAME}) is stable.
 * It uses the channels' one timer thread, owned by its {@link PeerCalls} (proxies left
 * unconnected are disposed by it).
 */
public final class ChannelDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelDirectory.class);

    private final ORB orb;
    private final ChannelSettings settings;
    private final ServantRegistry channelObjects;
    private final ServantRegistry proxyObjects;
    private final PeerCalls peerCalls;
    private final ChannelBinding binding;
    private final AtomicLong proxyIds = new AtomicLong();
    private final Map<String, ChannelServant> channels = new ConcurrentSkipListMap<>();
    /** Channels owned by a group: reachable only through the group's tickets (see {@link #createPrivate}). */
    private final Map<String, ChannelServant> privateChannels = new ConcurrentSkipListMap<>();
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    /** The server's one timer of the channels (owned by {@link PeerCalls}): disposes proxies left unconnected. */
    private final java.util.concurrent.ScheduledExecutorService expiry;
    /** Pulls waiting for an event on any channel of this server (each holds a request thread). */
    private final WaitingPulls waitingPulls;

    public ChannelDirectory(ORB orb, ChannelSettings settings, ServantRegistry channelObjects,
            ServantRegistry proxyObjects, PeerCalls peerCalls, ChannelBinding binding) {
        this.orb = orb;
        this.settings = settings;
        this.channelObjects = channelObjects;
        this.proxyObjects = proxyObjects;
        this.peerCalls = peerCalls;
        this.binding = binding;
        this.expiry = peerCalls.timer();
        this.waitingPulls = new WaitingPulls(settings.maxWaitingPulls());
    }

    /** The settings of the channels this directory creates. */
    public ChannelSettings settings() {
        return settings;
    }

    /** BAD_PARAM, naming the rule, unless {@code name} is a valid channel name. */
    private static void requireValidName(String operation, String name) {
        String refused = org.troupe.protocol.Names.channelRefusal(name);
        if (refused != null) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: " + operation + ": " + refused);
        }
    }

    /** Creates a channel; its name must be new and valid. */
    public synchronized EventChannel create(String name) throws ChannelExists, InvalidName {
        // a channel is bound in naming as troupe/channels/NAME, read in the CosNaming string syntax
        String refused = org.troupe.protocol.Names.channelRefusal(name);
        if (refused != null) {
            throw new InvalidName(org.troupe.protocol.Names.printable(name), refused);
        }
        if (channels.containsKey(name)) {
            throw new ChannelExists(name);
        }
        EventChannelCore core = new EventChannelCore(name, settings);
        ChannelServant servant = new ChannelServant(core, orb, proxyObjects, peerCalls, proxyIds, expiry,
                () -> destroyQuietly(name), null, waitingPulls);
        channels.put(name, servant);
        EventChannel ref = EventChannelHelper.unchecked_narrow(
                channelObjects.register(name, servant, EventChannelHelper.id()));
        binding.bind(name, ref);
        LOG.info("channel {} created", name);
        return ref;
    }

    /** A channel owned by a group: its secret name, its reference and its core. */
    public record PrivateChannel(String name, EventChannel channel, EventChannelCore core, ChannelServant servant) {
    }

    /**
     * Creates a channel owned by its caller (a group): its name is {@code label} plus 128 random
     * bits, so its object key cannot be guessed; it is not bound in naming, not listed, found nor
     * destroyed through the factory, and a client's {@code destroy()} on it raises NO_PERMISSION.
     * Its supplier side is closed: {@code obtain_push_consumer} / {@code obtain_pull_consumer}
     * raise NO_PERMISSION, so that whoever holds the reference (every member, and an ex-member
     * who kept it) cannot push events that bypass the owner's checks; the owner publishes into
     * the returned core directly. Its consumer side is open to whoever holds the reference.
     * The owner removes it with {@link #destroyPrivate}. Its queues count {@code weight}.
     */
    public synchronized PrivateChannel createPrivate(String label, ChannelSettings channelSettings,
            org.troupe.server.events.EventWeight weight) {
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        String name = label + "." + java.util.HexFormat.of().formatHex(secret);
        EventChannelCore core = new EventChannelCore(name, channelSettings, weight); // object ids of admins and proxies derive from it
        ChannelServant servant = new ChannelServant(core, orb, proxyObjects, peerCalls, proxyIds, expiry, () -> {
            throw new org.omg.CORBA.NO_PERMISSION("Troupe: channel " + label + " belongs to its group; destroy the group");
        }, "Troupe: group channel " + label + " takes messages only through GroupManager::send", waitingPulls);
        privateChannels.put(name, servant);
        LOG.info("channel {} created (private to its group)", label);
        EventChannel ref = EventChannelHelper.unchecked_narrow(
                channelObjects.register(name, servant, EventChannelHelper.id()));
        return new PrivateChannel(name, ref, core, servant);
    }

    /** Destroys a private channel: every connected client is told. */
    public void destroyPrivate(String name) {
        ChannelServant s;
        synchronized (this) {
            s = privateChannels.remove(name);
            if (s == null) {
                return;
            }
            channelObjects.unregister(name);
        }
        s.disconnectAll();
    }

    public EventChannel find(String name) throws UnknownChannel {
        requireValidName("find_channel", name);
        if (name == null || !channels.containsKey(name)) {
            throw new UnknownChannel(String.valueOf(name));
        }
        return reference(name);
    }

    private EventChannel reference(String name) {
        return EventChannelHelper.unchecked_narrow(channelObjects.reference(name, EventChannelHelper.id()));
    }

    /** The core of a channel, for a publisher in this server (a group's sequencer). */
    public org.troupe.server.events.EventChannelCore core(String name) throws UnknownChannel {
        ChannelServant s = name == null ? null : channels.get(name);
        if (s == null) {
            throw new UnknownChannel(String.valueOf(name));
        }
        return s.core();
    }

    public ChannelInfo info(String name) throws UnknownChannel {
        requireValidName("channel_info", name);
        ChannelServant s = name == null ? null : channels.get(name);
        if (s == null) {
            throw new UnknownChannel(String.valueOf(name));
        }
        return s.info(reference(name));
    }

    /**
     * Every channel: the public ones, then the groups' own channels under their labels
     * ({@code group.NAME}) with a nil reference: a group's channel is reached only through its
     * members' tickets, and its secret name never leaves this directory.
     */
    public List<ChannelInfo> list() {
        List<ChannelInfo> out = new ArrayList<>();
        for (Map.Entry<String, ChannelServant> e : channels.entrySet()) {
            out.add(e.getValue().info(reference(e.getKey())));
        }
        for (Map.Entry<String, ChannelServant> e : privateChannels.entrySet()) {
            ChannelInfo i = e.getValue().info(null);
            i.name = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
            out.add(i);
        }
        return out;
    }

    /**
     * Every channel as an operator sees it now: the public ones, then the groups' own channels
     * under their labels ({@code group.NAME}: their secret names never leave this directory).
     */
    public List<org.troupe.server.events.ChannelStatus> status() {
        List<org.troupe.server.events.ChannelStatus> out = new ArrayList<>();
        for (Map.Entry<String, ChannelServant> e : channels.entrySet()) {
            out.add(e.getValue().status(e.getKey(), false));
        }
        for (Map.Entry<String, ChannelServant> e : privateChannels.entrySet()) {
            String secretName = e.getKey();
            out.add(e.getValue().status(secretName.substring(0, secretName.lastIndexOf('.')), true));
        }
        return out;
    }

    /** Destroys a channel: every connected client is told, every object disposed. */
    public void destroy(String name) throws UnknownChannel {
        requireValidName("destroy_channel", name);
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
        for (String name : new ArrayList<>(privateChannels.keySet())) {
            ChannelServant s = privateChannels.remove(name);
            if (s != null) {
                channelObjects.unregister(name);
                s.disconnectAll();
            }
        }
    }

    /** Destroys every channel (clients are told); the timer stops with its {@link PeerCalls} (server shutdown). */
    @Override
    public void close() {
        destroyAll();
    }
}
