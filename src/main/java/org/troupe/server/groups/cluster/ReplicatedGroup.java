package org.troupe.server.groups.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.server.cluster.ReplicatedState;
import org.troupe.server.groups.CommandLog;
import org.troupe.server.groups.EventHistory;
import org.troupe.server.groups.GroupCommand;
import org.troupe.server.groups.GroupCore;
import org.troupe.server.groups.Outcome;
import org.troupe.server.groups.OutcomeCodec;

/**
 * One group's copy on one server of a cluster: its core, fed the group's commands in the order
 * of the replicated log, and the events it published lately ({@link EventHistory}). Every server
 * applies every command; the one that leads the group's shard also hosts it ({@link Host}): its
 * Group Manager takes calls and its channel carries the events, which it publishes as it applies.
 * Created empty by the cluster on the first command for its name: a {@link GroupLog#create}.
 */
public final class ReplicatedGroup implements ReplicatedState {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedGroup.class);

    /** Where a group is hosted on this server, while this server leads it. */
    public interface Host {
        /** Publishes one command's events into the group's channel (on the apply thread; must not wait). */
        void publish(GroupCore core, List<org.troupe.server.groups.GroupEvent> events);
    }

    /** What a server does when its groups come and go, or when it starts or stops leading them. */
    public interface Lifecycle {
        /** This server leads the group now (every earlier command applied), or no longer does, or it is gone. */
        void hosting(ReplicatedGroup group, boolean host);
    }

    /** Builds a core from a group's creation: its descriptor's octets and its payload limit. */
    @FunctionalInterface
    public interface CoreFactory {
        GroupCore create(String name, byte[] descriptor, int maxPayload);
    }

    private final String name;
    private final CoreFactory cores;
    private final Lifecycle lifecycle;
    private final int historyEvents;
    private final long historyOctets;
    private final ReentrantLock lock = new ReentrantLock();
    /** Joins submitted from this server, waiting for their command: run when it is applied, before publishing. */
    private final Map<String, Consumer<Outcome>> joinHooks = new ConcurrentHashMap<>();
    private GroupCore core;
    private byte[] descriptor;
    private int maxPayload;
    /** The salted hash of the group's join key, or null: part of the group's replicated state. */
    private String joinKeyHash;
    private EventHistory history;
    private volatile Host host;
    private boolean leader;
    private long term;

    public ReplicatedGroup(String name, CoreFactory cores, Lifecycle lifecycle, int historyEvents, long historyOctets) {
        this.name = name;
        this.cores = cores;
        this.lifecycle = lifecycle;
        this.historyEvents = historyEvents;
        this.historyOctets = historyOctets;
    }

    public String name() {
        return name;
    }

    /** True between the group's creation and its destruction. */
    public boolean exists() {
        lock.lock();
        try {
            return core != null;
        } finally {
            lock.unlock();
        }
    }

    /** The descriptor the group was created with (null if it does not exist). */
    public byte[] descriptor() {
        lock.lock();
        try {
            return descriptor;
        } finally {
            lock.unlock();
        }
    }

    /** The salted hash of the group's join key (null: none, or the group does not exist). */
    public String joinKeyHash() {
        lock.lock();
        try {
            return joinKeyHash;
        } finally {
            lock.unlock();
        }
    }

    /** This server's Raft term for the group's shard, as last told. */
    public long term() {
        lock.lock();
        try {
            return term;
        } finally {
            lock.unlock();
        }
    }

    /** Starts or stops publishing this group's events through {@code host} (null: stops). */
    public void host(Host h) {
        this.host = h;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        return apply(index, 0, command);
    }

    @Override
    public byte[] apply(long index, long entryTerm, byte[] command) {
        lock.lock();
        try {
            GroupWire.Decoded d = GroupWire.decode(command);
            switch (d.kind()) {
                case CREATE:
                    return create(d);
                case DESTROY:
                    return destroy();
                case DESTROY_IF_EMPTY:
                    return core != null && !core.view().members().isEmpty() ? GroupWire.NO : destroy();
                case DECISION:
                    if (d.decidedIn() < entryTerm) {
                        // Decided by a leader of an earlier term and appended by a later leader
                        // (resent after the election): the leader of now judges for itself.
                        LOG.debug("group {}: a removal decided in term {} is not applied in term {}", name,
                                d.decidedIn(), entryTerm);
                        return OutcomeCodec.encode(new Outcome(List.of(), null, List.of()));
                    }
                    return OutcomeCodec.encode(command(d.command()));
                default:
                    return OutcomeCodec.encode(command(d.command()));
            }
        } finally {
            lock.unlock();
        }
    }

    private byte[] create(GroupWire.Decoded d) {
        if (core != null) {
            return GroupWire.NO;
        }
        core = cores.create(name, d.descriptor(), d.maxPayload());
        descriptor = d.descriptor();
        maxPayload = d.maxPayload();
        joinKeyHash = d.joinKeyHash();
        history = new EventHistory(historyEvents, historyOctets);
        if (leader) {
            lifecycle.hosting(this, true);
        }
        return GroupWire.YES;
    }

    private byte[] destroy() {
        if (core == null) {
            return GroupWire.NO;
        }
        core = null;
        descriptor = null;
        joinKeyHash = null;
        history = null;
        if (leader) {
            lifecycle.hosting(this, false);
        }
        return GroupWire.YES;
    }

    private Outcome command(GroupCommand c) {
        if (core == null) {
            return Outcome.refused(new org.troupe.server.groups.Refusal.Gone("group " + name
                    + " does not exist (destroyed, or never created)"));
        }
        Outcome o = core.apply(c);
        if (c instanceof GroupCommand.Join j) {
            Consumer<Outcome> hook = joinHooks.remove(j.requestId());
            if (hook != null) {
                hook.accept(o);
            }
        }
        if (!o.events().isEmpty()) {
            history.add(o.events());
            Host h = host;
            if (h != null) {
                try {
                    h.publish(core, o.events());
                } catch (RuntimeException e) { // the group's order goes on; its members will see the gap and resume
                    LOG.error("group {}: publishing failed", name, e);
                }
            }
        }
        return o;
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        lock.lock();
        try {
            DataOutputStream data = new DataOutputStream(out);
            // 0: no group; 1: a group (as written before join keys); 2: a group and its join key's hash
            data.writeByte(core == null ? 0 : joinKeyHash == null ? 1 : 2);
            if (core != null) {
                data.writeInt(descriptor.length);
                data.write(descriptor);
                data.writeInt(maxPayload);
                if (joinKeyHash != null) {
                    data.writeUTF(joinKeyHash);
                }
                core.writeSnapshot(data);
            }
            data.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void readSnapshot(InputStream in) throws IOException {
        lock.lock();
        try {
            DataInputStream data = new DataInputStream(in);
            int kind = data.readByte();
            if (kind == 0) {
                core = null;
                joinKeyHash = null;
                return;
            }
            if (kind != 1 && kind != 2) {
                throw new IOException("group " + name + ": not a snapshot this version wrote (" + kind + ")");
            }
            byte[] d = new byte[data.readInt()];
            data.readFully(d);
            int payload = data.readInt();
            String keyHash = kind == 2 ? data.readUTF() : null;
            GroupCore c = cores.create(name, d, payload);
            c.readSnapshot(data);
            core = c;
            descriptor = d;
            maxPayload = payload;
            joinKeyHash = keyHash;
            history = new EventHistory(historyEvents, historyOctets);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void leadershipChanged(boolean leads, long newTerm) {
        lock.lock();
        try {
            boolean was = leader;
            leader = leads;
            term = newTerm;
            if (core != null && was != leads) {
                lifecycle.hosting(this, leads);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Reads the core between two commands; {@link CommandLog.Unavailable} if the group is gone. */
    public <T> T read(Function<GroupCore, T> query) {
        lock.lock();
        try {
            if (core == null) {
                throw new CommandLog.Unavailable("group " + name + " does not exist here", null);
            }
            return query.apply(core);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the group's apply order: the events published after the one that carried sequence id
     * {@code received} (null: not held), and {@code then} run before any later command.
     */
    public <T> T resume(long received, java.util.function.BiFunction<GroupCore, List<org.troupe.server.groups.GroupEvent>, T> then) {
        lock.lock();
        try {
            if (core == null) {
                throw new CommandLog.Unavailable("group " + name + " does not exist here", null);
            }
            return then.apply(core, history.after(received));
        } finally {
            lock.unlock();
        }
    }

    void hookJoin(String requestId, Consumer<Outcome> hook) {
        joinHooks.put(requestId, hook);
    }

    void unhookJoin(String requestId) {
        joinHooks.remove(requestId);
    }
}
