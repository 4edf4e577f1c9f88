package org.troupe.server.ops;

import java.util.List;
import org.troupe.server.events.ChannelStatus;
import org.troupe.server.groups.GroupStatus;
import org.troupe.server.groups.MemberInfo;
import org.troupe.server.groups.RemovalReason;
import org.troupe.server.groups.ViewHistory;

/** The JSON of {@code /api/groups} and {@code /api/channels}. */
final class OpsJson {
    private OpsJson() {
    }

    /**
     * {@code {"groups":[{name, protocol, view, members:[{id,name,role, heartbeat_age_ms?, queue_depth?,
     * queue_capacity?, keeping_up?}], complete, sequencer, messages_sequenced, messages_sent,
     * payload_bytes, views, removed:{reason:n}, roles:[{name,min,max,members,met}], incomplete_why,
     * sequencer_member, leader?, term?}]}}; a member's health only where the group is hosted
     * (max null: unbounded; incomplete_why null when complete; sequencer_member null: the server
     * orders); leader and term only in a cluster.
     */
    static String groups(List<GroupStatus> groups) {
        StringBuilder b = new StringBuilder("{\"groups\":[");
        String sep = "";
        for (GroupStatus g : groups) {
            b.append(sep).append('{');
            sep = ",";
            b.append("\"name\":").append(Json.quote(g.name()));
            b.append(",\"protocol\":").append(Json.quote(g.protocol()));
            b.append(",\"view\":").append(g.view().id());
            b.append(",\"members\":[");
            String msep = "";
            for (MemberInfo m : g.view().members()) {
                b.append(msep).append("{\"id\":").append(m.id()).append(",\"name\":").append(Json.quote(m.name()))
                        .append(",\"role\":").append(Json.quote(m.role()));
                GroupStatus.MemberHealth h = g.health().get(m.id());
                if (h != null) {
                    b.append(",\"heartbeat_age_ms\":").append(h.heartbeatAgeMillis());
                    if (h.queueDepth() >= 0) {
                        b.append(",\"queue_depth\":").append(h.queueDepth());
                        b.append(",\"queue_capacity\":").append(h.queueCapacity());
                    }
                    b.append(",\"keeping_up\":").append(h.keepingUp());
                }
                b.append('}');
                msep = ",";
            }
            b.append(']');
            b.append(",\"complete\":").append(g.view().complete());
            b.append(",\"sequencer\":").append(g.view().sequencer());
            b.append(",\"messages_sequenced\":").append(g.messagesSequenced());
            b.append(",\"messages_sent\":").append(g.messagesSent());
            b.append(",\"payload_bytes\":").append(g.payloadBytes());
            b.append(",\"views\":").append(g.viewsInstalled());
            b.append(",\"open_queries\":").append(g.openQueries());
            b.append(",\"queries_timed_out\":").append(g.queryTimeouts());
            b.append(",\"sequencer_handovers\":").append(g.sequencerHandOvers());
            b.append(",\"removed\":{");
            String rsep = "";
            for (RemovalReason r : RemovalReason.values()) {
                b.append(rsep).append(Json.quote(r.label())).append(':').append(g.removed().getOrDefault(r, 0L));
                rsep = ",";
            }
            b.append('}');
            b.append(",\"roles\":[");
            String osep = "";
            StringBuilder why = new StringBuilder();
            for (GroupStatus.RoleState r : g.roles()) {
                b.append(osep).append("{\"name\":").append(Json.quote(r.name())).append(",\"min\":").append(r.min())
                        .append(",\"max\":").append(r.max() == org.troupe.protocol.RoleDef.UNBOUNDED ? "null"
                                : Integer.toString(r.max()))
                        .append(",\"members\":").append(r.members()).append(",\"met\":").append(r.met()).append('}');
                osep = ",";
                if (!r.met()) {
                    why.append(why.length() == 0 ? "" : "; ").append(r.name()).append(" needs at least ")
                            .append(r.min()).append(", has ").append(r.members());
                }
            }
            b.append(']');
            b.append(",\"incomplete_why\":").append(g.view().complete() || why.length() == 0 ? "null"
                    : Json.quote(why.toString()));
            String holder = null;
            for (MemberInfo m : g.view().members()) {
                if (m.id() == g.view().sequencer()) {
                    holder = m.name();
                }
            }
            b.append(",\"sequencer_member\":").append(Json.quote(holder));
            if (g.leader() != null) {
                b.append(",\"leader\":").append(Json.quote(g.leader()));
                b.append(",\"term\":").append(g.term());
            }
            b.append('}');
        }
        return b.append("]}").toString();
    }

    /**
     * {@code {"groups":[{name, changes:[{view, at, changes:[{id, name, role, cause, why}]}]}]}}: each
     * group's latest view changes, oldest first; {@code at} in milliseconds since the epoch; cause
     * joined, left, crashed or removed; why the server's words for a removal (else null).
     */
    static String views(List<GroupStatus> groups) {
        StringBuilder b = new StringBuilder("{\"groups\":[");
        String sep = "";
        for (GroupStatus g : groups) {
            b.append(sep).append("{\"name\":").append(Json.quote(g.name())).append(",\"changes\":[");
            sep = ",";
            String vsep = "";
            for (ViewHistory.ViewChange v : g.recentViews()) {
                b.append(vsep).append("{\"view\":").append(v.view()).append(",\"at\":").append(v.epochMillis())
                        .append(",\"changes\":[");
                vsep = ",";
                String csep = "";
                for (ViewHistory.Change c : v.changes()) {
                    b.append(csep).append("{\"id\":").append(c.member().id()).append(",\"name\":")
                            .append(Json.quote(c.member().name())).append(",\"role\":")
                            .append(Json.quote(c.member().role())).append(",\"cause\":")
                            .append(Json.quote(c.cause().label())).append(",\"why\":").append(Json.quote(c.why()))
                            .append('}');
                    csep = ",";
                }
                b.append("]}");
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    /**
     * {@code {"period_ms":P,"groups":[{name, samples:[[at, sent, sequenced], ...]}]}}: each group's
     * message totals over the last minutes, oldest first.
     */
    static String rates(java.util.Map<String, List<RateHistory.Sample>> samples, long periodMillis) {
        StringBuilder b = new StringBuilder("{\"period_ms\":").append(periodMillis).append(",\"groups\":[");
        String sep = "";
        for (java.util.Map.Entry<String, List<RateHistory.Sample>> e : samples.entrySet()) {
            b.append(sep).append("{\"name\":").append(Json.quote(e.getKey())).append(",\"samples\":[");
            sep = ",";
            String ssep = "";
            for (RateHistory.Sample x : e.getValue()) {
                b.append(ssep).append('[').append(x.epochMillis()).append(',').append(x.sent()).append(',')
                        .append(x.sequenced()).append(']');
                ssep = ",";
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    /**
     * {@code {"channels":[{name, kind, consumers, suppliers, delivered, dropped, evicted,
     * queue_depth, flow_waits, flow_timeouts}]}}.
     */
    static String channels(List<ChannelStatus> channels) {
        StringBuilder b = new StringBuilder("{\"channels\":[");
        String sep = "";
        for (ChannelStatus c : channels) {
            b.append(sep).append('{');
            sep = ",";
            b.append("\"name\":").append(Json.quote(c.name()));
            b.append(",\"kind\":").append(Json.quote(c.kind()));
            b.append(",\"consumers\":").append(c.consumers());
            b.append(",\"suppliers\":").append(c.suppliers());
            b.append(",\"delivered\":").append(c.delivered());
            b.append(",\"dropped\":").append(c.dropped());
            b.append(",\"evicted\":").append(c.evicted());
            b.append(",\"queue_depth\":").append(c.queueDepth());
            b.append(",\"flow_waits\":").append(c.flowWaits());
            b.append(",\"flow_timeouts\":").append(c.flowTimeouts());
            b.append('}');
        }
        return b.append("]}").toString();
    }
}
