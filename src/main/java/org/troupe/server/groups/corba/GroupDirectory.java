package org.troupe.server.groups.corba;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.omg.CORBA.ORB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.events.corba.ChannelDirectory;
import org.troupe.events.corba.ServantRegistry;
import org.troupe.server.groups.GroupSettings;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupExists;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupManagerHelper;
import org.troupe.idl.Groups.GroupsAdministratorPOA;
import org.troupe.idl.Groups.InvalidDescriptor;
import org.troupe.idl.Groups.RoleSpec;
import org.troupe.idl.Groups.UNBOUNDED;
import org.troupe.idl.Groups.UnknownGroup;

/**
 * The Groups Administrator: the directory of a server's groups. Each group has a Group Manager
 * (at {@code corbaloc:iiop:HOST:PORT/Troupe/groups/NAME}) and a private event channel, which only
 * its members' tickets reveal. One reaper thread removes silent members from every group.
 */
public final class GroupDirectory extends GroupsAdministratorPOA implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupDirectory.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ORB orb;
    private final GroupSettings settings;
    private final ChannelDirectory channels;
    private final ServantRegistry managers;
    private final Map<String, GroupManagerServant> groups = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "troupe-group-reaper");
        t.setDaemon(true);
        return t;
    });

    public GroupDirectory(ORB orb, GroupSettings settings, ChannelDirectory channels, ServantRegistry managers) {
        this.orb = orb;
        this.settings = settings;
        this.channels = channels;
        this.managers = managers;
        reaper.scheduleWithFixedDelay(this::reap, GroupSettings.REAPER_PERIOD_MS, GroupSettings.REAPER_PERIOD_MS,
                TimeUnit.MILLISECONDS);
    }

    /** The label of a group's event channel (its name adds 128 random bits; see ChannelDirectory#createPrivate). */
    public static String channelName(String group) {
        return "group." + group;
    }

    @Override
    public synchronized GroupManager create_group(String name, GroupDescriptor d) throws GroupExists, InvalidDescriptor {
        if (name == null || !NAME.matcher(name).matches() || name.length() > 58) {
            throw new InvalidDescriptor("group name '" + name + "': 1-58 characters of letters, digits, '.', '_', '-'");
        }
        if (groups.containsKey(name)) {
            throw new GroupExists(name);
        }
        check(d);
        ChannelDirectory.PrivateChannel channel = channels.createPrivate(channelName(name), groupChannelSettings(),
                MESSAGES);
        GroupManagerServant manager = new GroupManagerServant(name, d, settings, orb, channel);
        groups.put(name, manager);
        LOG.info("group {} created (protocol {}: {} roles, {} message types, {} patterns{})", name, d.protocol,
                d.roles.length, d.message_types.length, d.patterns.length, d.implied_order ? "" : ", all sequenced");
        return GroupManagerHelper.unchecked_narrow(managers.register(name, manager, GroupManagerHelper.id()));
    }

    /**
     * A group's channel: the server's channel settings, but a lost event would break the group's
     * guarantees, so a member that falls a whole queue behind is disconnected (and so leaves the
     * view), never skipped; and senders are held back at a lower watermark, which bounds the
     * latency a busy group adds. Its queues and watermark count Messages, not events
     * ({@link #MESSAGES}).
     */
    private org.troupe.events.ChannelSettings groupChannelSettings() {
        org.troupe.events.ChannelSettings s = channels.settings();
        // a queue holds at least two of the largest send calls (one call is one event)
        int capacity = Math.max(s.queueCapacity(), 2 * org.troupe.events.ChannelSettings.MAX_BATCH);
        return new org.troupe.events.ChannelSettings(capacity, org.troupe.events.QueuePolicy.DISCONNECT,
                Math.min(s.flowWatermark(), GroupSettings.FLOW_WATERMARK), s.stallMillis(), s.flowTimeoutMillis(),
                s.batchMax(), s.pullIntervalMaxMillis(), s.replyTimeoutMillis(), s.proxyConnectTimeoutMillis(),
                s.maxUnconnectedProxies());
    }

    /**
     * The weight of a group channel's events: the Messages they carry. A MessageList weighs its
     * length; a Message, a SequenceMessageList (the order of one send call: small, one per call)
     * or an UpdateView weighs 1. Measured at 4 members: 4-16% more msgs/s than also weighing a
     * SequenceMessageList by its length, at the same watermark.
     */
    static final org.troupe.events.EventWeight MESSAGES = event -> event instanceof org.troupe.cdr.FastAny f
            && f.struct() instanceof org.troupe.idl.Groups.Message[] list ? Math.max(1, list.length) : 1;

    /** Checks a descriptor: roles and types named, unique, min <= max. */
    static void check(GroupDescriptor d) throws InvalidDescriptor {
        if (d == null || d.roles.length == 0) {
            throw new InvalidDescriptor("a group needs at least one role");
        }
        if (d.message_types.length == 0) {
            throw new InvalidDescriptor("a group needs at least one message type");
        }
        Set<String> seen = new HashSet<>();
        for (RoleSpec r : d.roles) {
            if (r.name.isEmpty() || r.name.length() > 256) {
                throw new InvalidDescriptor("role names must be 1-256 characters");
            }
            if (!seen.add(r.name)) {
                throw new InvalidDescriptor("role '" + r.name + "' is declared twice");
            }
            if (r.max != UNBOUNDED.value && Integer.compareUnsigned(r.min, r.max) > 0) {
                throw new InvalidDescriptor("role '" + r.name + "': min " + Integer.toUnsignedString(r.min)
                        + " > max " + Integer.toUnsignedString(r.max));
            }
            if (r.max == 0) {
                throw new InvalidDescriptor("role '" + r.name + "': max 0 admits nobody");
            }
        }
        Set<String> types = new HashSet<>();
        for (String t : d.message_types) {
            if (t.isEmpty() || t.length() > 256) {
                throw new InvalidDescriptor("message type names must be 1-256 characters");
            }
            if (!types.add(t)) {
                throw new InvalidDescriptor("message type '" + t + "' is declared twice");
            }
        }
        try {
            org.troupe.wire.Descriptors.fromIdl(d); // the patterns: consistent with the roles and types
        } catch (IllegalArgumentException e) {
            throw new InvalidDescriptor(e.getMessage());
        }
    }

    @Override
    public GroupManager find_group(String name) throws UnknownGroup {
        if (name == null || !groups.containsKey(name)) {
            throw new UnknownGroup(String.valueOf(name));
        }
        return GroupManagerHelper.unchecked_narrow(managers.reference(name, GroupManagerHelper.id()));
    }

    @Override
    public GroupInfo[] list_groups() {
        List<GroupInfo> out = new ArrayList<>();
        for (GroupManagerServant g : groups.values()) {
            out.add(g.info());
        }
        return out.toArray(new GroupInfo[0]);
    }

    @Override
    public synchronized void destroy_group(String name) throws UnknownGroup {
        GroupManagerServant g = name == null ? null : groups.remove(name);
        if (g == null) {
            throw new UnknownGroup(String.valueOf(name));
        }
        managers.unregister(name);
        g.disconnectAll();
        channels.destroyPrivate(g.channelName());
        LOG.info("group {} destroyed", name);
    }

    private void reap() {
        for (GroupManagerServant g : groups.values()) {
            try {
                g.expire();
            } catch (Throwable e) { // a scheduled task that throws never runs again: every group would stop reaping
                LOG.error("group {}: reaper failed; it goes on", g.group_name(), e);
            }
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
    }
}
