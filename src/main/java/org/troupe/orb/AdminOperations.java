package org.troupe.orb;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which calls administer a Troupe server, as (interface, operation) pairs, and how a client
 * presents the admin credential on them: the contract between the server's gate
 * ({@code org.troupe.server.security.AdminGate}) and a client's {@link AdminCredentialSender}.
 *
 * <p>Administrative: creating, destroying and listing groups and channels, reading a group's
 * members and counters from outside it ({@code GroupManager::info}, {@code current_view}),
 * destroying a public channel through its own reference, hosting members, and writing to the
 * naming service. Open: a member's own calls (find_group, the descriptor, join, join_with_key,
 * send, order, heartbeat, leave, resume), channel clients' calls (find_channel, connecting,
 * pushing, pulling) and naming look-ups (resolve, list).
 */
public final class AdminOperations {
    /** The service context that carries the secret: "TRO" and 1. */
    public static final int CONTEXT_ID = 0x54524F01;
    /** NO_PERMISSION's minor code: the call needs the admin credential and had none. */
    public static final int MINOR_MISSING = 0x54520001;
    /** NO_PERMISSION's minor code: the call presented another secret. */
    public static final int MINOR_WRONG = 0x54520002;
    /** NO_PERMISSION's minor code: a plain join to a group that requires a join key. */
    public static final int MINOR_JOIN_KEY_REQUIRED = 0x54520003;

    private static final String GROUPS_ADMIN = "IDL:troupe.org/Troupe/Groups/GroupsAdministrator:1.0";
    private static final String GROUP_MANAGER = "IDL:troupe.org/Troupe/Groups/GroupManager:1.0";
    private static final String CHANNEL_FACTORY = "IDL:troupe.org/Troupe/Events/EventChannelFactory:1.0";
    private static final String CHANNEL = "IDL:omg.org/CosEventChannelAdmin/EventChannel:1.0";
    private static final String HOSTED = "IDL:troupe.org/Troupe/Hosted/HostedMembers:1.0";
    private static final String NAMING = "IDL:omg.org/CosNaming/NamingContext:1.0";

    /** Every administrative operation, with the interfaces on which it is one. */
    private static final Map<String, List<String>> ADMINISTRATIVE = Map.ofEntries(
            Map.entry("create_group", List.of(GROUPS_ADMIN)),
            Map.entry("create_keyed_group", List.of(GROUPS_ADMIN)),
            Map.entry("destroy_group", List.of(GROUPS_ADMIN)),
            Map.entry("list_groups", List.of(GROUPS_ADMIN)),
            Map.entry("info", List.of(GROUP_MANAGER)),
            Map.entry("current_view", List.of(GROUP_MANAGER)),
            Map.entry("create_channel", List.of(CHANNEL_FACTORY)),
            Map.entry("destroy_channel", List.of(CHANNEL_FACTORY)),
            Map.entry("list_channels", List.of(CHANNEL_FACTORY)),
            Map.entry("channel_info", List.of(CHANNEL_FACTORY)),
            Map.entry("destroy", List.of(CHANNEL, NAMING)),
            Map.entry("host_member", List.of(HOSTED)),
            Map.entry("host_member_with_key", List.of(HOSTED)),
            Map.entry("bind", List.of(NAMING)),
            Map.entry("rebind", List.of(NAMING)),
            Map.entry("bind_context", List.of(NAMING)),
            Map.entry("rebind_context", List.of(NAMING)),
            Map.entry("unbind", List.of(NAMING)),
            Map.entry("new_context", List.of(NAMING)),
            Map.entry("bind_new_context", List.of(NAMING)));

    private AdminOperations() {
    }

    /**
     * True if {@code operation} is administrative on some interface (a client presents the
     * credential on these calls only; a server looks further at those alone).
     */
    public static boolean mayBeAdministrative(String operation) {
        return ADMINISTRATIVE.containsKey(operation);
    }

    /**
     * True if {@code operation} is administrative on an object that is each interface (repository
     * id) {@code isA} accepts.
     */
    public static boolean isAdministrative(String operation, Predicate<String> isA) {
        List<String> on = ADMINISTRATIVE.get(operation);
        if (on == null) {
            return false;
        }
        for (String iface : on) {
            if (isA.test(iface)) {
                return true;
            }
        }
        return false;
    }
}
