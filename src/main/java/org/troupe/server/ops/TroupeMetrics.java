package org.troupe.server.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.troupe.server.cluster.RaftGroupStatus;
import org.troupe.server.events.ChannelStatus;
import org.troupe.server.groups.GroupStatus;
import org.troupe.server.groups.RemovalReason;

/**
 * The server's metrics in a Prometheus registry, read from the counters the server keeps
 * already: each scrape takes one snapshot of the groups, channels and Raft groups
 * ({@link OpsSource}) and the meters read it, so nothing is added on a message's path. Labels
 * stay bounded: a group's or channel's name, a removal reason from a fixed set, a Raft group;
 * never a member. Meters of a group, channel or Raft group that is gone are removed.
 *
 * <pre>
 *  troupe_groups                                      gauge
 *  troupe_group_members{group}                        gauge
 *  troupe_group_views_total{group}                    counter
 *  troupe_group_members_removed_total{group,reason}   counter (silent, cut_off, sequencer_stalled, left, other)
 *  troupe_group_messages_sent_total{group}            counter
 *  troupe_group_messages_sequenced_total{group}       counter
 *  troupe_group_payload_bytes_total{group}            counter
 *  troupe_group_queries_open{group}                   gauge
 *  troupe_group_queries_timed_out_total{group}        counter
 *  troupe_group_sequencer_on_member{group}            gauge (1: a member holds it)
 *  troupe_group_sequencer_handovers_total{group}      counter
 *  troupe_channel_consumers{channel,kind}             gauge
 *  troupe_channel_events_delivered_total{channel,kind} counter
 *  troupe_channel_events_dropped_total{channel,kind}  counter
 *  troupe_channel_consumers_evicted_total{channel,kind} counter
 *  troupe_channel_flow_waits_total{channel,kind}      counter
 *  troupe_channel_flow_timeouts_total{channel,kind}   counter
 *  troupe_channel_queue_depth{channel,kind}           gauge (the deepest consumer queue)
 *  troupe_cluster_leader{raft_group}                  gauge (1: this server leads)
 *  troupe_cluster_term{raft_group}                    gauge
 *  troupe_cluster_commit_seconds                      timer (submit to applied)
 * </pre>
 *
 * and the process's own: {@code jvm_memory_*}, {@code jvm_threads_*}, {@code process_cpu_usage},
 * {@code system_cpu_usage}, {@code process_uptime_seconds}.
 */
public final class TroupeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OpsSource source;
    private final Tracked<GroupStatus> groups = new Tracked<>();
    private final Tracked<ChannelStatus> channels = new Tracked<>();
    private final Tracked<RaftGroupStatus> raft = new Tracked<>();
    private volatile int groupCount;
    private Timer commit;

    public TroupeMetrics(OpsSource source) {
        this.source = source;
        Gauge.builder("troupe.groups", this, m -> m.groupCount)
                .description("Groups this server holds").register(registry);
        // the process itself: heap and non-heap memory, threads, CPU, uptime (jvm_*, process_*, system_*)
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    }

    /** The Prometheus registry, for meters of other parts of the server. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The timer of commands' submit-to-applied times ({@code troupe_cluster_commit_seconds}),
     * registered on the first call: what a cluster node is given to observe its commits (cheap,
     * never throws).
     */
    public synchronized java.util.function.LongConsumer commitTimer() {
        if (commit == null) {
            commit = Timer.builder("troupe.cluster.commit")
                    .description("From a command's submit to its apply, on this server")
                    .publishPercentiles(0.5, 0.99)
                    .distributionStatisticExpiry(Duration.ofMinutes(1))
                    .register(registry);
        }
        Timer t = commit;
        return nanos -> t.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Takes a fresh snapshot and writes every meter in Prometheus' text format. */
    public synchronized String scrape() {
        refresh();
        return registry.scrape();
    }

    /** Reads the source once and brings the meters in line with it. */
    synchronized void refresh() {
        List<GroupStatus> gs = source.groups();
        groupCount = gs.size();
        groups.update(gs, GroupStatus::name, this::groupMeters);
        channels.update(source.channels(), c -> c.kind() + "/" + c.name(), this::channelMeters); // a public channel may be called group.X
        raft.update(source.raftGroups(), RaftGroupStatus::group, this::raftMeters);
    }

    private List<Meter> groupMeters(String name, Holder<GroupStatus> h) {
        List<Meter> ms = new ArrayList<>();
        ms.add(gauge("troupe.group.members", "Members in the group's current view", "group", name, h,
                g -> g.view().members().size()));
        ms.add(counter("troupe.group.views", "Views installed", "group", name, h, GroupStatus::viewsInstalled));
        ms.add(counter("troupe.group.messages.sent", "Messages the group took from its members", "group", name, h,
                GroupStatus::messagesSent));
        ms.add(counter("troupe.group.messages.sequenced", "Messages given a place in the total order", "group",
                name, h, GroupStatus::messagesSequenced));
        ms.add(counter("troupe.group.payload.bytes", "Payload octets of the messages sent", "group", name, h,
                GroupStatus::payloadBytes));
        ms.add(gauge("troupe.group.queries.open", "Queries waiting for their responses", "group", name, h,
                GroupStatus::openQueries));
        ms.add(counter("troupe.group.queries.timed.out", "Queries closed because their time-out ran out", "group",
                name, h, GroupStatus::queryTimeouts));
        ms.add(gauge("troupe.group.sequencer.on.member", "1 if a member holds the sequencer, 0 if the server does",
                "group", name, h, g -> g.view().sequencer() != 0 ? 1 : 0));
        ms.add(counter("troupe.group.sequencer.handovers", "Views in which the sequencer moved", "group", name, h,
                GroupStatus::sequencerHandOvers));
        for (RemovalReason r : RemovalReason.values()) {
            ms.add(FunctionCounter.builder("troupe.group.members.removed", h,
                            x -> x.latest.removed().getOrDefault(r, 0L))
                    .description("Members removed from the view, by reason")
                    .tags("group", name, "reason", r.label()).register(registry));
        }
        return ms;
    }

    private List<Meter> channelMeters(String key, Holder<ChannelStatus> h) {
        String name = h.latest.name();
        String kind = h.latest.kind();
        List<Meter> ms = new ArrayList<>();
        ms.add(gauge("troupe.channel.consumers", "Connected consumers", "channel", name, kind, h,
                ChannelStatus::consumers));
        ms.add(gauge("troupe.channel.queue.depth", "The deepest consumer queue now", "channel", name, kind, h,
                ChannelStatus::queueDepth));
        ms.add(counter("troupe.channel.events.delivered", "Events delivered to consumers", "channel", name, kind, h,
                ChannelStatus::delivered));
        ms.add(counter("troupe.channel.events.dropped", "Events dropped from full consumer queues", "channel", name,
                kind, h, ChannelStatus::dropped));
        ms.add(counter("troupe.channel.consumers.evicted", "Consumers cut off (too slow or unreachable)", "channel",
                name, kind, h, ChannelStatus::evicted));
        ms.add(counter("troupe.channel.flow.waits", "Publishes that found flow control closed and waited", "channel",
                name, kind, h, ChannelStatus::flowWaits));
        ms.add(counter("troupe.channel.flow.timeouts", "Publishes that went ahead when flow control's wait ran out",
                "channel", name, kind, h, ChannelStatus::flowTimeouts));
        return ms;
    }

    private List<Meter> raftMeters(String name, Holder<RaftGroupStatus> h) {
        return List.of(
                gauge("troupe.cluster.leader", "1 if this server leads the Raft group", "raft_group", name, null, h,
                        r -> r.localLeader() ? 1 : 0),
                gauge("troupe.cluster.term", "The Raft group's current term", "raft_group", name, null, h,
                        RaftGroupStatus::term));
    }

    private <T> Meter gauge(String meter, String help, String label, String value, Holder<T> h,
            ToDoubleFunction<T> f) {
        return gauge(meter, help, label, value, null, h, f);
    }

    private <T> Meter gauge(String meter, String help, String label, String value, String kind, Holder<T> h,
            ToDoubleFunction<T> f) {
        Gauge.Builder<Holder<T>> b = Gauge.builder(meter, h, x -> f.applyAsDouble(x.latest)).description(help)
                .tag(label, value).strongReference(true);
        if (kind != null) {
            b.tag("kind", kind);
        }
        return b.register(registry);
    }

    private <T> Meter counter(String meter, String help, String label, String value, Holder<T> h,
            ToDoubleFunction<T> f) {
        return counter(meter, help, label, value, null, h, f);
    }

    private <T> Meter counter(String meter, String help, String label, String value, String kind, Holder<T> h,
            ToDoubleFunction<T> f) {
        FunctionCounter.Builder<Holder<T>> b = FunctionCounter.builder(meter, h, x -> f.applyAsDouble(x.latest))
                .description(help).tag(label, value);
        if (kind != null) {
            b.tag("kind", kind);
        }
        return b.register(registry);
    }

    /** The latest snapshot of one group, channel or Raft group, which its meters read. */
    private static final class Holder<T> {
        volatile T latest;
        List<Meter> meters = List.of();
    }

    /** Things known by a key, each with its meters: new ones get meters, gone ones lose theirs. */
    private final class Tracked<T> {
        private final Map<String, Holder<T>> byName = new HashMap<>();

        void update(List<T> now, java.util.function.Function<T, String> name,
                java.util.function.BiFunction<String, Holder<T>, List<Meter>> meters) {
            Set<String> seen = new HashSet<>();
            for (T t : now) {
                String n = name.apply(t);
                if (!seen.add(n)) {
                    continue;
                }
                Holder<T> h = byName.get(n);
                if (h == null) {
                    h = new Holder<>();
                    h.latest = t;
                    h.meters = meters.apply(n, h);
                    byName.put(n, h);
                } else {
                    h.latest = t;
                }
            }
            byName.entrySet().removeIf(e -> {
                if (seen.contains(e.getKey())) {
                    return false;
                }
                e.getValue().meters.forEach(registry::remove);
                return true;
            });
        }
    }
}
