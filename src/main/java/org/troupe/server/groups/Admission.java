package org.troupe.server.groups;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.TypeRule;

/**
 * What a group lets in: a join's name and role (known role, not full, name not taken), a caller's
 * proof of membership (its token, compared in constant time), and each message of a send (its
 * sender, a type its role may send, its size, its destination, consecutive ids, a response naming
 * its query and going to its querier, a response or turn on its own). Every refusal says why.
 */
final class Admission {
    /** The longest name, role, request id or token a caller may give. */
    static final int MAX_TEXT = 256;
    /**
     * The most messages one send (or orders one order) may carry: one call is one event of the
     * group's channel, and one larger than a member's queue would cut every member off.
     */
    static final int CALL_LIMIT = org.troupe.wire.Limits.MAX_BATCH;

    private final String group;
    private final ApplicationProtocol protocol;
    private final int maxPayload;

    Admission(String group, ApplicationProtocol protocol, int maxPayload) {
        this.group = group;
        this.protocol = protocol;
        this.maxPayload = maxPayload;
    }

    /** Compares two secrets in time that does not depend on where they differ. */
    static boolean sameSecret(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    static void requireText(String s, String what) {
        if (s == null || s.isEmpty() || s.length() > MAX_TEXT) {
            throw new Refused(new Refusal.BadRequest(what + " must be 1-" + MAX_TEXT + " characters"));
        }
    }

    /** A member's name and the role it joins as: see {@link org.troupe.protocol.Names}. */
    static void requireNames(String name, String role) {
        String refused = org.troupe.protocol.Names.refusal(org.troupe.protocol.Names.Text.MEMBER, name);
        if (refused == null) {
            refused = org.troupe.protocol.Names.refusal(org.troupe.protocol.Names.Text.ROLE, role);
        }
        if (refused != null) {
            throw new Refused(new Refusal.BadRequest(refused));
        }
    }

    /** A new join: the role exists and has room, and no current member has the name. */
    void checkJoin(Membership members, String name, String role) {
        Membership.RoleLimit r = members.roles().get(role);
        if (r == null) {
            throw new Refused(new Refusal.UnknownRole(role, List.copyOf(members.roles().keySet())));
        }
        Membership.Member same = members.memberNamed(name);
        if (same != null) {
            throw new Refused(new Refusal.AlreadyMember(name, same.id));
        }
        if (members.countInRole(role) >= r.max()) {
            throw new Refused(new Refusal.RoleFull(role, r.max()));
        }
    }

    /** A retried join must be the same join: a request id used for another name or role is refused. */
    static void checkSameJoin(Membership.Joined earlier, String name, String role) {
        if (!earlier.member().name.equals(name) || !earlier.member().role.equals(role)) {
            throw new Refused(new Refusal.BadRequest("join: this request_id was used by an earlier join with"
                    + " another name or role; a new join needs a new request_id"));
        }
    }

    /**
     * The member proven by {@code token}, or NotMember: "member N {@code whenDeparted}" for a
     * member that was in the group, else a reason that says the id or token is wrong.
     */
    Membership.Member requireMember(Membership members, long member, String token, String whenDeparted) {
        Membership.Member m = members.proven(member, token);
        if (m == null) {
            throw new Refused(new Refusal.NotMember(member, members.departedWith(member, token)
                    ? "member " + member + " " + whenDeparted
                    : "not a member of group " + group + " (unknown member id or wrong token)"));
        }
        return m;
    }

    static void checkCallSize(int n, boolean orders) {
        if (n > CALL_LIMIT) {
            throw new Refused(orders ? new Refusal.BadOrder(CALL_LIMIT, n + " orders in one call: at most " + CALL_LIMIT)
                    : new Refusal.BadMessage(CALL_LIMIT, n + " messages in one call: at most " + CALL_LIMIT));
        }
    }

    /** Checks message {@code i} of a send against the protocol and limits; returns its type's rule. */
    TypeRule check(Membership members, Membership.Member m, List<Envelope> messages, int i) {
        Envelope msg = messages.get(i);
        if (msg.source() != 0 && msg.source() != m.id) {
            throw new Refused(new Refusal.ForgedSender(msg.source(), m.id));
        }
        TypeRule rule = protocol.rule(msg.type());
        if (rule == null || !rule.allows(m.role)) {
            List<String> allowed = new ArrayList<>();
            for (TypeRule r : protocol.rules().values()) {
                if (r.allows(m.role)) {
                    allowed.add(r.type());
                }
            }
            throw new Refused(new Refusal.TypeNotAllowed(msg.type(), allowed));
        }
        if (msg.payload().length > maxPayload) {
            throw new Refused(new Refusal.MessageTooLarge(msg.payload().length, maxPayload));
        }
        Address to = msg.destination();
        if (to.kind() == Address.Kind.ROLE && !members.roles().containsKey(to.role())) {
            throw bad(i, "destination role '" + to.role() + "' is not a role of group " + group);
        }
        if (msg.messageId() <= 0) {
            throw bad(i, "message_id must be at least 1");
        }
        if (i > 0 && msg.messageId() != messages.get(0).messageId() + i) {
            throw bad(i, "message ids in one send must be consecutive");
        }
        Ref answers = msg.answers();
        if (rule.kind() == TypeRule.Kind.REACTIVE) {
            if (answers.source() == 0 || answers.messageId() == 0) {
                throw bad(i, "a " + msg.type() + " is a response: it must name the query it answers");
            }
            if (msg.proactive()) {
                throw bad(i, "a " + msg.type() + " is a response: is_proactive must be FALSE");
            }
        } else if (answers.source() != 0 || answers.messageId() != 0) {
            // members take a message naming a query as a response to it
            throw bad(i, "a " + msg.type() + " is not a response: answers must be 0:0, not "
                    + answers.source() + ":" + answers.messageId());
        }
        if (rule.kind() != TypeRule.Kind.PROACTIVE && messages.size() > 1) {
            throw bad(i, "a " + msg.type() + " (a " + (rule.kind() == TypeRule.Kind.TURN ? "turn" : "response")
                    + ") must be sent on its own, one per send call");
        }
        return rule;
    }

    /**
     * A response that goes to its querier is addressed to the group (the core narrows it) or to
     * the querier itself, not elsewhere: the protocol decides who hears it, not the responder.
     */
    static void checkToQuerier(Envelope msg, int index) {
        Address d = msg.destination();
        boolean toQuerier = d.kind() == Address.Kind.MEMBER && d.member() == msg.answers().source();
        if (d.kind() != Address.Kind.GROUP && !toQuerier) {
            throw bad(index, "a " + msg.type() + " goes to the member whose query it answers"
                    + " (member " + msg.answers().source() + "): address it to the group or to that member");
        }
    }

    private static Refused bad(int index, String reason) {
        return new Refused(new Refusal.BadMessage(index, reason));
    }

    /** A refusal on its way out of the core: nothing of the command was applied. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }
    }
}
