package org.troupe.member;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.troupe.member.model.Destination;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.RoleDef;
import org.troupe.protocol.SystemTypes;
import org.troupe.protocol.TypeRule;

/**
 * The checks a member makes before it sends, with the group's rules: what the group would
 * refuse is refused here, with a clear error, before anything leaves the member.
 */
final class SendChecks {
    private final String group;
    private final ApplicationProtocol protocol;
    private final String role;
    private final long maxPayload;
    private final Set<String> roles = new HashSet<>();

    SendChecks(String group, ApplicationProtocol protocol, String role, long maxPayload) {
        this.group = group;
        this.protocol = protocol;
        this.role = role;
        this.maxPayload = maxPayload;
        for (RoleDef r : protocol.roles()) {
            roles.add(r.name());
        }
    }

    /** The rule of {@code type}, if this member may send it with this payload to this destination. */
    TypeRule check(String type, byte[] payload, Destination destination) throws TroupeException {
        TypeRule rule = protocol.rule(type);
        if (SystemTypes.isReserved(type)) {
            throw new TroupeException("message type '" + type + "' is reserved for Troupe's own messages");
        }
        if (rule == null) {
            throw new TroupeException("group " + group + " has no message type '" + type + "' (types: "
                    + String.join(", ", protocol.messageTypes().stream().sorted().toList()) + ")");
        }
        if (!rule.allows(role)) {
            List<String> mine = new ArrayList<>();
            for (TypeRule r : protocol.rules().values()) {
                if (r.allows(role)) {
                    mine.add(r.type());
                }
            }
            throw new TroupeException("role " + role + " may not send a " + type + " in group " + group
                    + " (only " + String.join(", ", rule.senders()) + " may; " + role + " may send: "
                    + (mine.isEmpty() ? "nothing" : String.join(", ", mine)) + ")");
        }
        if (payload.length > maxPayload) {
            throw new TroupeException("payload of " + payload.length + " bytes is over group " + group + "'s limit of "
                    + maxPayload + " bytes");
        }
        if (destination.kind() == Destination.Kind.ROLE && !roles.contains(destination.role())) {
            throw new TroupeException("group " + group + " has no role '" + destination.role() + "'");
        }
        return rule;
    }
}
