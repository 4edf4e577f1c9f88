package org.troupe.protocol;

import java.util.List;
import java.util.Set;

/**
 * Message types that Troupe itself sends in every group, whatever its protocol: group state
 * transfer's request and reply. Their names start with {@value #PREFIX}, which application
 * protocols may not use. Any role may send them, to one member; they are totally ordered (a
 * state is captured at its request's place in the order). They never reach the application.
 */
public final class SystemTypes {
    /** The prefix reserved for Troupe's own message types. */
    public static final String PREFIX = "troupe:";
    /** A joiner asks a member for the group's state. */
    public static final String STATE_REQUEST = PREFIX + "state-request";
    /** A member's reply to a state request: the state (in chunks), or that it has none. */
    public static final String STATE = PREFIX + "state";

    private static final TypeRule STATE_REQUEST_RULE = rule(STATE_REQUEST);
    private static final TypeRule STATE_RULE = rule(STATE);

    private SystemTypes() {
    }

    /** True if {@code type} is in Troupe's reserved name space. */
    public static boolean isReserved(String type) {
        return type != null && type.startsWith(PREFIX);
    }

    /** The rule of a system type, or null if {@code type} is not one. */
    public static TypeRule ruleOf(String type) {
        if (STATE_REQUEST.equals(type)) {
            return STATE_REQUEST_RULE;
        }
        return STATE.equals(type) ? STATE_RULE : null;
    }

    private static TypeRule rule(String type) {
        return new TypeRule(type, Set.of(), List.of(), false, TypeRule.Kind.PROACTIVE, Set.of(), List.of());
    }
}
