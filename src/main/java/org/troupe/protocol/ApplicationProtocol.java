package org.troupe.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An application protocol, what a group knows of its application: roles, message
 * types and message patterns, and what they imply per message type ({@link TypeRule}) and for the
 * member's protocol stack ({@link #layers}). Immutable; built by {@link ProtocolLoader} from XML,
 * or directly (a protocol with roles and types but no patterns). The constructor checks the
 * model's consistency and throws {@link IllegalArgumentException} with the reason; the loader
 * reports the same problems with file, line and column first.
 */
public final class ApplicationProtocol {
    /** The longest timeout a response may have (7 days). */
    public static final java.time.Duration MAX_TIMEOUT = java.time.Duration.ofDays(7);

    private final String name;
    private final List<RoleDef> roles;
    private final List<String> messageTypes;
    private final List<Pattern> patterns;
    private final Map<String, RoleDef> roleByName = new LinkedHashMap<>();
    private final Map<String, TypeRule> rules = new LinkedHashMap<>();

    public ApplicationProtocol(String name, List<RoleDef> roles, List<String> messageTypes, List<Pattern> patterns) {
        this.name = name == null || name.isBlank() ? "unnamed" : name;
        this.roles = List.copyOf(roles);
        this.messageTypes = List.copyOf(messageTypes);
        this.patterns = List.copyOf(patterns);
        if (this.roles.isEmpty()) {
            throw new IllegalArgumentException("protocol '" + this.name + "': no roles");
        }
        if (this.messageTypes.isEmpty()) {
            throw new IllegalArgumentException("protocol '" + this.name + "': no message types");
        }
        for (RoleDef r : this.roles) {
            if (roleByName.put(r.name(), r) != null) {
                throw new IllegalArgumentException("role '" + r.name() + "' is declared twice");
            }
        }
        for (String t : this.messageTypes) {
            if (SystemTypes.isReserved(t)) {
                throw new IllegalArgumentException("message type '" + t + "': names starting with '"
                        + SystemTypes.PREFIX + "' are reserved for Troupe's own messages");
            }
        }
        if (new LinkedHashSet<>(this.messageTypes).size() != this.messageTypes.size()) {
            throw new IllegalArgumentException("a message type is declared twice: " + this.messageTypes);
        }
        derive();
    }

    /** A protocol with roles and message types only: every role may send every type to anyone, in total order. */
    public static ApplicationProtocol of(String name, List<RoleDef> roles, List<String> messageTypes) {
        return new ApplicationProtocol(name, roles, messageTypes, List.of());
    }

    public String name() {
        return name;
    }

    public List<RoleDef> roles() {
        return roles;
    }

    /** The role with this name, or null. */
    public RoleDef role(String roleName) {
        return roleByName.get(roleName);
    }

    public List<String> messageTypes() {
        return messageTypes;
    }

    public List<Pattern> patterns() {
        return patterns;
    }

    /** What the protocol implies for each message type, in declaration order. */
    public Map<String, TypeRule> rules() {
        return java.util.Collections.unmodifiableMap(rules);
    }

    /**
     * The rule for one message type, or null if the protocol has no such type. Troupe's own
     * {@link SystemTypes} have rules in every protocol (they are not in {@link #rules()}).
     */
    public TypeRule rule(String type) {
        TypeRule r = rules.get(type);
        return r != null ? r : SystemTypes.ruleOf(type);
    }

    /** True if some pattern is a query with responses: members need the correlation layer. */
    public boolean hasQueries() {
        for (Pattern p : patterns) {
            if (p instanceof Pattern.Query) {
                return true;
            }
        }
        return false;
    }

    /** True if some pattern is turn-based. */
    public boolean hasTurns() {
        for (Pattern p : patterns) {
            if (p instanceof Pattern.Turns) {
                return true;
            }
        }
        return false;
    }

    /** True if some message type needs the sequencer's total order (with {@code impliedOrder} as given). */
    public boolean needsSequencer(boolean impliedOrder) {
        for (TypeRule r : rules.values()) {
            if (r.ordering(impliedOrder) == TypeRule.Ordering.TOTAL) {
                return true;
            }
        }
        return false;
    }

    /**
     * The layers of a member's protocol stack for this protocol, bottom to top (a selective build
     * of the layers it needs): no correlation layer without queries, no turn layer without turns,
     * no sequencer layer (a member holding the sequencer) when no type needs it.
     */
    public List<String> layers(boolean impliedOrder, boolean sequencerVolunteer) {
        List<String> l = new ArrayList<>();
        l.add("CorbaTransport");
        l.add("HeartbeatLayer");
        if (sequencerVolunteer && needsSequencer(impliedOrder)) {
            l.add("SequencerLayer");
        }
        l.add("TotalOrderLayer");
        l.add("DestinationFilterLayer");
        if (hasQueries()) {
            l.add("CorrelationLayer");
        }
        if (hasTurns()) {
            l.add("TurnLayer");
        }
        l.add("StateTransferLayer");
        l.add("DeliveryLayer");
        return l;
    }

    private void derive() {
        Map<String, Set<String>> senders = new LinkedHashMap<>();
        Map<String, Boolean> anySender = new LinkedHashMap<>();
        Map<String, Set<String>> receivers = new LinkedHashMap<>();
        Map<String, Boolean> toGroup = new LinkedHashMap<>();
        Map<String, Boolean> toQuerier = new LinkedHashMap<>();
        Map<String, TypeRule.Kind> kinds = new LinkedHashMap<>();
        Map<String, Set<String>> answers = new LinkedHashMap<>();
        Map<String, List<Step>> responses = new LinkedHashMap<>();
        List<Step> all = new ArrayList<>();
        for (Pattern p : patterns) {
            if (p instanceof Pattern.Query q) {
                all.add(q.query());
                kind(kinds, q.query(), TypeRule.Kind.PROACTIVE);
                for (Step s : q.responses()) {
                    all.add(s);
                    kind(kinds, s, TypeRule.Kind.REACTIVE);
                    answers.computeIfAbsent(s.type(), k -> new LinkedHashSet<>()).add(s.answers());
                    responses.computeIfAbsent(s.answers(), k -> new ArrayList<>()).add(s);
                }
                checkAnswers(q);
            } else if (p instanceof Pattern.Turns t) {
                if (t.turns().isEmpty()) {
                    throw new IllegalArgumentException("a turn-based pattern needs at least one message");
                }
                for (Step s : t.turns()) {
                    all.add(s);
                    kind(kinds, s, TypeRule.Kind.TURN);
                }
            }
        }
        for (Step s : all) {
            checkStep(s);
            if (s.role() == null) {
                anySender.put(s.type(), true);
            } else {
                senders.computeIfAbsent(s.type(), k -> new LinkedHashSet<>()).add(s.role());
            }
            if (s.receivers().isEmpty()) {
                if (s.isResponse()) {
                    toQuerier.put(s.type(), true);
                } else {
                    toGroup.put(s.type(), true);
                }
            } else {
                receivers.computeIfAbsent(s.type(), k -> new LinkedHashSet<>()).addAll(s.receivers());
            }
        }
        for (String t : messageTypes) {
            boolean inPattern = kinds.containsKey(t);
            Set<String> from = !inPattern || anySender.getOrDefault(t, false) ? Set.of()
                    : senders.getOrDefault(t, Set.of());
            boolean querier = toQuerier.getOrDefault(t, false);
            Set<String> to = receivers.getOrDefault(t, Set.of());
            if (!inPattern || toGroup.getOrDefault(t, false) || to.containsAll(roleByName.keySet())) {
                to = Set.of(); // the whole group
                querier = false;
            }
            rules.put(t, new TypeRule(t, from, List.copyOf(to), querier, kinds.getOrDefault(t, TypeRule.Kind.PROACTIVE),
                    answers.getOrDefault(t, Set.of()), responses.getOrDefault(t, List.of())));
        }
    }

    private void kind(Map<String, TypeRule.Kind> kinds, Step s, TypeRule.Kind k) {
        TypeRule.Kind before = kinds.putIfAbsent(s.type(), k);
        if (before != null && before != k) {
            throw new IllegalArgumentException("message type '" + s.type() + "' is used as " + describe(before)
                    + " and as " + describe(k) + "; a type has one kind");
        }
    }

    private static String describe(TypeRule.Kind k) {
        return switch (k) {
            case PROACTIVE -> "a query";
            case REACTIVE -> "a response";
            case TURN -> "a turn";
        };
    }

    private void checkAnswers(Pattern.Query q) {
        Set<String> inPattern = new LinkedHashSet<>();
        inPattern.add(q.query().type());
        for (Step s : q.responses()) {
            inPattern.add(s.type());
        }
        for (Step s : q.responses()) {
            if (!inPattern.contains(s.answers()) || s.answers().equals(s.type())) {
                throw new IllegalArgumentException("response '" + s.type() + "' answers '" + s.answers()
                        + "', which is not an earlier message of its pattern");
            }
        }
    }

    private void checkStep(Step s) {
        if (!messageTypes.contains(s.type())) {
            throw new IllegalArgumentException("pattern uses message type '" + s.type()
                    + "', which is not among the message types " + messageTypes);
        }
        if (s.role() != null && !roleByName.containsKey(s.role())) {
            throw new IllegalArgumentException("message type '" + s.type() + "': unknown role '" + s.role()
                    + "' (roles: " + roleByName.keySet() + ")");
        }
        for (String r : s.receivers()) {
            if (!roleByName.containsKey(r)) {
                throw new IllegalArgumentException("message type '" + s.type() + "': unknown receiver role '" + r
                        + "' (roles: " + roleByName.keySet() + ")");
            }
        }
        if (s.max().isPerRole() && !roleByName.containsKey(s.max().role())) {
            throw new IllegalArgumentException("message type '" + s.type() + "': max '#" + s.max().role()
                    + "' names an unknown role (roles: " + roleByName.keySet() + ")");
        }
        if (!s.max().isPerRole() && s.min() > s.max().fixed()) {
            throw new IllegalArgumentException("message type '" + s.type() + "': min " + s.min() + " > max "
                    + s.max());
        }
        if (s.min() < 0) {
            throw new IllegalArgumentException("message type '" + s.type() + "': min " + s.min() + " < 0");
        }
        if (s.timeout() != null && (s.timeout().isNegative() || s.timeout().isZero())) {
            throw new IllegalArgumentException("message type '" + s.type() + "': timeout must be positive");
        }
        if (s.timeout() != null && s.timeout().compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("message type '" + s.type() + "': timeout " + s.timeout().toMillis()
                    + " ms is more than the longest allowed, " + MAX_TIMEOUT.toDays() + " days");
        }
    }

    @Override
    public String toString() {
        return "protocol " + name + " " + roles + " " + messageTypes;
    }
}
