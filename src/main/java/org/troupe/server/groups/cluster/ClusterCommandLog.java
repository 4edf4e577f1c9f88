package org.troupe.server.groups.cluster;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.troupe.server.cluster.ClusterNode;
import org.troupe.server.groups.CommandLog;
import org.troupe.server.groups.FlowGate;
import org.troupe.server.groups.GroupCommand;
import org.troupe.server.groups.GroupCore;
import org.troupe.server.groups.Outcome;
import org.troupe.server.groups.OutcomeCodec;

/**
 * A group's commands in a cluster: each goes through the replicated log (batched with whatever
 * else waits for the group's shard) and is answered once a majority of servers has it and this
 * server's copy of the group applied it. Flow control holds a send or an order back before it
 * is submitted. The group's events are published by its copy as it applies them
 * ({@link ReplicatedGroup.Host}).
 */
public final class ClusterCommandLog implements CommandLog {
    private final java.util.function.Supplier<ClusterNode> node;
    private final ReplicatedGroup group;
    private final FlowGate gate;

    /** @param node the cluster node (asked at each command: a group may be hosted while the node starts) */
    public ClusterCommandLog(java.util.function.Supplier<ClusterNode> node, ReplicatedGroup group, FlowGate gate) {
        this.node = node;
        this.group = group;
        this.gate = gate;
    }

    @Override
    public Outcome submit(GroupCommand command, boolean flowControlled, Consumer<Outcome> onApplied)
            throws InterruptedException {
        if (flowControlled) {
            gate.awaitOpen();
        }
        String join = null;
        if (onApplied != null) {
            if (!(command instanceof GroupCommand.Join j)) {
                throw new IllegalArgumentException("only a join is told when it is applied");
            }
            join = j.requestId();
            group.hookJoin(join, onApplied);
        }
        ClusterNode n = node.get();
        if (n == null) {
            throw new Unavailable("group " + group.name() + ": this server is still joining its cluster", null);
        }
        long timeoutMillis = n.config().submitTimeout().toMillis();
        try {
            byte[] entry = command instanceof GroupCommand.Remove ? GroupWire.decision(command, group.term())
                    : GroupWire.command(command);
            byte[] answer = n.submit(group.name(), entry).get(timeoutMillis, TimeUnit.MILLISECONDS);
            return OutcomeCodec.decode(answer);
        } catch (TimeoutException e) {
            throw new Unavailable("group " + group.name() + ": no answer from the cluster within " + timeoutMillis
                    + " ms", e);
        } catch (ExecutionException e) {
            throw new Unavailable("group " + group.name() + ": the cluster did not apply the command: "
                    + e.getCause(), e.getCause());
        } finally {
            if (join != null) {
                group.unhookJoin(join);
            }
        }
    }

    @Override
    public <T> T read(Function<GroupCore, T> query) {
        return group.read(query);
    }

    @Override
    public <T> T resume(long received, java.util.function.BiFunction<GroupCore,
            java.util.List<org.troupe.server.groups.GroupEvent>, T> then) {
        // a member resumes only where the group is hosted: at the leader of its shard, not at a
        // server that is stopping or has just lost the lead (its copy would go no further)
        ClusterNode n = node.get();
        if (n == null || n.isClosed() || !n.statusOf(group.name()).localLeader()) {
            throw new Unavailable("group " + group.name() + ": this server does not host it now", null);
        }
        return group.resume(received, then);
    }
}
