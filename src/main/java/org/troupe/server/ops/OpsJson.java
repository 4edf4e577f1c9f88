package org.troupe.server.ops;

import java.util.List;
import org.troupe.server.events.ChannelStatus;
import org.troupe.server.groups.GroupStatus;
import org.troupe.server.groups.MemberInfo;
import org.troupe.server.groups.RemovalReason;

/** The JSON of {@code /api/groups} and {@code /api/channels}. */
final class OpsJson {
    private OpsJson() {
    }

    /**
     * {@code {"groups":[{name, protocol, view, members:[{id,name,role}], complete, sequencer,
     * messages_sequenced, messages_sent, payload_bytes, views, removed:{reason:n}, leader?, term?}]}};
     * leader and term only in a cluster.
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
                        .append(",\"role\":").append(Json.quote(m.role())).append('}');
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
            if (g.leader() != null) {
                b.append(",\"leader\":").append(Json.quote(g.leader()));
                b.append(",\"term\":").append(g.term());
            }
            b.append('}');
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
