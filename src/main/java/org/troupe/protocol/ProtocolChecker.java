package org.troupe.protocol;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.troupe.protocol.xml.Located;
import org.troupe.protocol.xml.XmlMessageType;
import org.troupe.protocol.xml.XmlPattern;
import org.troupe.protocol.xml.XmlProtocol;
import org.troupe.protocol.xml.XmlRole;
import org.troupe.protocol.xml.XmlStep;

/**
 * The semantic checks of a descriptor, the ones the schema cannot express: names declared once,
 * patterns naming declared roles and types, min &lt;= max, timeouts, one kind per message type,
 * responses that reach the querier. Every problem is collected, with the place of the attribute
 * (or the item of a receiver list) it is about; the model is built only if there are none.
 */
final class ProtocolChecker {

    /** The checked descriptor: the parts of an {@link ApplicationProtocol}, and where each pattern is. */
    record Result(String name, List<RoleDef> roles, List<String> messageTypes, List<Pattern> patterns,
            List<Located> patternElements) {
    }

    private enum Kind {
        QUERY("a query"), RESPONSE("a response"), TURN("a turn");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** The first use of a message type in a pattern. */
    private record Use(Kind kind, Located element, Located pattern) {
    }

    /** A checked query or response, as the parent of responses. */
    private record Node(String type, String role, List<String> receivers, boolean response, Node parent,
            Located element) {
    }

    private final SourceText src;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, XmlRole> roleDecl = new LinkedHashMap<>();
    private final Map<String, XmlMessageType> typeDecl = new LinkedHashMap<>();
    private final Map<String, RoleDef> roleDefs = new LinkedHashMap<>();
    private final Map<String, Use> uses = new LinkedHashMap<>();
    private final Map<String, Located> collectors = new LinkedHashMap<>();
    private final Set<List<Object>> reportedTurns = new java.util.HashSet<>();

    ProtocolChecker(SourceText src) {
        this.src = src;
    }

    List<Problem> problems() {
        return problems;
    }

    Result check(XmlProtocol p, String defaultName) {
        String name = defaultName;
        if (p.name() != null) {
            if (p.name().isBlank()) {
                problems.add(src.at(p, "name", "the protocol's name is empty; leave it out to use the file's name"));
            } else {
                name = p.name().strip();
                String refused = Names.refusal(Names.Text.PROTOCOL, name);
                if (refused != null) {
                    problems.add(src.at(p, "name", refused));
                }
            }
        }
        for (XmlRole r : p.roles()) {
            role(r);
        }
        List<String> types = new ArrayList<>();
        for (XmlMessageType t : p.messageTypes()) {
            String n = declaredName(t, "message type", typeDecl);
            if (n != null) {
                types.add(n);
            }
        }
        List<Pattern> patterns = new ArrayList<>();
        List<Located> elements = new ArrayList<>();
        for (XmlPattern x : p.patterns()) {
            Pattern pattern = x.query() != null ? queryPattern(x) : !x.messages().isEmpty() ? turnPattern(x) : null;
            if (pattern != null) {
                patterns.add(pattern);
                elements.add(x);
            }
        }
        return new Result(name, List.copyOf(roleDefs.values()), types, patterns, elements);
    }

    // ---- declarations

    private void role(XmlRole r) {
        String n = declaredName(r, "role", roleDecl);
        if (n == null) {
            return;
        }
        if (n.contains(",")) {
            problems.add(src.at(r, "name", "role name '" + n + "' contains a comma, which separates the roles of a "
                    + "receiver list"));
            return;
        }
        if (n.startsWith("#")) {
            problems.add(src.at(r, "name", "role name '" + n + "' starts with '#', which max=\"#Role\" uses"));
            return;
        }
        Integer min = r.min() == null ? null : value(r, "min", Values.min("min", r.min()));
        Integer max = r.max() == null ? null : value(r, "max", Values.roleMax(r.max()));
        if (min == null || max == null) {
            return;
        }
        if (max == 0) {
            problems.add(src.at(r, "max", "role '" + n + "': max=\"0\" admits no member; use 1 or more, or \"n\""));
        } else if (min > max) {
            problems.add(src.at(r, "min", "role '" + n + "': min " + min + " is more than max " + max
                    + "; the group could never be complete"));
        } else {
            roleDefs.put(n, new RoleDef(n, min, max));
        }
    }

    /** Checks a declared name (blank, spaces around, declared twice); null if it is not usable. */
    private <T extends Located> String declaredName(T e, String what, Map<String, T> declared) {
        String raw = e instanceof XmlRole ? ((XmlRole) e).name() : ((XmlMessageType) e).name();
        if (raw == null) {
            return null; // the schema reported it
        }
        if (raw.isBlank()) {
            problems.add(src.at(e, "name", what + " name is empty"));
            return null;
        }
        if (!raw.strip().equals(raw)) {
            problems.add(src.at(e, "name", what + " name '" + raw + "' has spaces at its start or end"));
            return null;
        }
        String refused = Names.refusal(e instanceof XmlRole ? Names.Text.ROLE : Names.Text.MESSAGE_TYPE, raw);
        if (refused != null) {
            problems.add(src.at(e, "name", refused));
            return null;
        }
        if (e instanceof XmlMessageType && SystemTypes.isReserved(raw)) {
            problems.add(src.at(e, "name", what + " name '" + raw + "' starts with '" + SystemTypes.PREFIX
                    + "', which is reserved for Troupe's own messages (group state transfer)"));
            return null;
        }
        T first = declared.putIfAbsent(raw, e);
        if (first != null) {
            problems.add(src.at(e, "name", what + " '" + raw + "' is declared twice (first at line "
                    + src.lineOf(first.tagStart()) + ")"));
            return null;
        }
        return raw;
    }

    // ---- patterns

    private Pattern queryPattern(XmlPattern x) {
        XmlStep.Query q = x.query();
        Step query = step(q, Kind.QUERY, null, x, 1, Count.of(1));
        Node root = new Node(q.type(), q.role() == null ? null : q.role().strip(), receivers(q), false, null, q);
        List<Step> responses = new ArrayList<>();
        responses(x, root, x.responses(), responses);
        collects(q, x.responses());
        return query == null ? null : new Pattern.Query(query, responses);
    }

    private void responses(XmlPattern x, Node parent, List<XmlStep.Response> list, List<Step> out) {
        Map<String, XmlStep.Response> siblings = new LinkedHashMap<>();
        for (XmlStep.Response r : list) {
            String type = r.type();
            boolean ok = true;
            if (type != null && !type.isBlank()) {
                XmlStep.Response first = siblings.putIfAbsent(type, r);
                if (first != null) {
                    problems.add(src.at(r, "type", "response '" + type + "' to '" + parent.type()
                            + "' is listed twice (first at line " + src.lineOf(first.tagStart()) + ")"));
                    ok = false;
                }
                for (Node a = parent; a != null && a.response() && ok; a = a.parent()) {
                    if (type.equals(a.type())) {
                        problems.add(src.at(r, "type", "response '" + type + "' is nested in a '" + type + "' (line "
                                + src.lineOf(a.element().tagStart()) + "): a type cannot answer itself"));
                        ok = false;
                    }
                }
            }
            Step s = step(r, Kind.RESPONSE, parent.type(), x, 0, Count.UNBOUNDED);
            Node node = new Node(type, r.role() == null ? null : r.role().strip(), receivers(r), true, parent, r);
            reaches(node, r);
            if (s != null && ok) {
                out.add(s);
            }
            responses(x, node, r.responses(), out);
            collects(r, r.responses());
        }
    }

    /** A type collects responses in one place only: the correlator must know which responses a message opens. */
    private void collects(XmlStep e, List<XmlStep.Response> responses) {
        if (responses.isEmpty() || e.type() == null || !typeDecl.containsKey(e.type())) {
            return;
        }
        Located first = collectors.putIfAbsent(e.type(), e);
        if (first != null) {
            problems.add(src.at(e, "type", "message type '" + e.type() + "' already has responses at line "
                    + src.lineOf(first.tagStart()) + "; a type opens one pattern only, so that it is clear "
                    + "which responses it collects"));
        }
    }

    /** A response's sender must receive what it answers, and the querier must receive the response. */
    private void reaches(Node r, XmlStep.Response e) {
        Node p = r.parent();
        if (r.type() == null || p.type() == null) {
            return; // the schema reported it
        }
        Set<String> pTo = effectiveReceivers(p);
        if (r.role() != null && roleDefs.containsKey(r.role()) && pTo != null && !pTo.contains(r.role())) {
            problems.add(src.at(e, "role", "response '" + r.type() + "' is sent by '" + r.role()
                    + "', who does not receive the '" + p.type() + "' it answers (that goes to "
                    + String.join(", ", pTo) + ")"));
        }
        if (!r.receivers().isEmpty() && p.role() != null && roleDefs.containsKey(p.role())
                && !r.receivers().contains(p.role()) && roleDefs.keySet().containsAll(r.receivers())) {
            problems.add(src.at(e, "receiver", "response '" + r.type() + "' goes to " + String.join(", ", r.receivers())
                    + ", but '" + p.role() + "' sends the '" + p.type() + "' it answers and collects the responses; "
                    + "leave receiver out to send it back to the querier"));
        }
    }

    /** The roles a query or response goes to; null if any role may get it. */
    private Set<String> effectiveReceivers(Node n) {
        if (!n.receivers().isEmpty()) {
            return roleDefs.keySet().containsAll(n.receivers()) ? new LinkedHashSet<>(n.receivers()) : null;
        }
        if (n.response()) {
            Node querier = n.parent();
            return querier.role() == null || !roleDefs.containsKey(querier.role()) ? null : Set.of(querier.role());
        }
        return null; // the whole group
    }

    private Pattern turnPattern(XmlPattern x) {
        List<Step> turns = new ArrayList<>();
        boolean ok = true;
        for (XmlStep.Turn t : x.messages()) {
            Step s = step(t, Kind.TURN, null, x, 1, Count.of(1));
            if (s == null) {
                ok = false;
            } else {
                turns.add(s);
            }
        }
        return ok ? new Pattern.Turns(turns) : null;
    }

    /**
     * Checks one query, response or turn and builds its {@link Step}; null if something is wrong
     * (the problem is recorded).
     */
    private Step step(XmlStep s, Kind kind, String answers, XmlPattern pattern, int defaultMin, Count defaultMax) {
        String el = s.elementName();
        int before = problems.size();
        String type = s.type();
        if (type == null) {
            return null; // the schema reported it
        }
        String what = el + " '" + type + "'";
        if (type.isBlank()) {
            problems.add(src.at(s, "type", "<" + el + "> has an empty type"));
        } else if (!typeDecl.containsKey(type)) {
            if (!typeDecl.isEmpty()) {
                problems.add(src.at(s, "type", unknown("message type", type, typeDecl.keySet(), "message types")));
            }
        } else {
            use(type, kind, s, pattern);
        }
        String role = null;
        if (s.role() != null) {
            role = s.role().strip();
            if (role.isEmpty()) {
                problems.add(src.at(s, "role", what + ": role is empty; leave it out to let any role send it"));
            } else if (!roleDecl.containsKey(role) && !roleDecl.isEmpty()) {
                problems.add(src.at(s, "role", what + ": " + unknown("role", role, roleDecl.keySet(), "roles")));
            }
        }
        List<String> receivers = receivers(s);
        checkReceivers(s, what);
        int min = defaultMin;
        if (s.min() != null) {
            Integer m = value(s, "min", Values.min("min", s.min()));
            min = m == null ? -1 : m;
        }
        Count max = defaultMax;
        if (s.max() != null) {
            max = value(s, "max", Values.count(s.max()));
        }
        if (max != null && max.isPerRole() && !roleDecl.containsKey(max.role())) {
            if (!roleDecl.isEmpty()) {
                problems.add(src.at(s, "max", what + ": max=\"" + s.max() + "\" names an "
                        + unknown("role", max.role(), roleDecl.keySet(), "roles")));
            }
        } else if (max != null && min >= 0) {
            if (!max.isPerRole() && max.fixed() == 0) {
                problems.add(src.at(s, "max", what + ": max=\"0\" admits none; use 1 or more, \"n\" or \"#Role\""));
            } else if (!max.isPerRole() && min > max.fixed()) {
                problems.add(src.at(s, "min", what + ": min " + min + " is more than max " + max));
            } else if (max.isPerRole() && roleDefs.containsKey(max.role())
                    && min > roleDefs.get(max.role()).max()) {
                problems.add(src.at(s, "min", what + ": min " + min + " is more than " + max + " can ever be (role '"
                        + max.role() + "' admits at most " + roleDefs.get(max.role()).maxText() + ")"));
            }
        }
        Duration timeout = null;
        if (s instanceof XmlStep.Response && ((XmlStep.Response) s).timeout() != null) {
            timeout = value(s, "timeout", Values.timeout(((XmlStep.Response) s).timeout()));
        }
        if (problems.size() > before) {
            return null;
        }
        return new Step(type, role, receivers, min, max, timeout, answers);
    }

    /** Records a type's use in a pattern; a type has one kind, and a turn type belongs to one pattern. */
    private void use(String type, Kind kind, XmlStep e, XmlPattern pattern) {
        Use first = uses.putIfAbsent(type, new Use(kind, e, pattern));
        if (first == null) {
            return;
        }
        int line = src.lineOf(first.element().tagStart());
        if (first.kind() != kind) {
            problems.add(src.at(e, "type", "message type '" + type + "' is " + kind.text + " here but "
                    + first.kind().text + " at line " + line + "; a type has one kind"));
        } else if (kind == Kind.TURN && first.pattern() != pattern && reportedTurns.add(List.of(pattern, type))) {
            problems.add(src.at(e, "type", "message type '" + type + "' is already a turn of the pattern at line "
                    + src.lineOf(first.pattern().tagStart()) + "; a turn type belongs to one pattern"));
        }
        // A query used twice is reported by collects(); a response may answer several queries.
    }

    /** The receiver roles as written (trimmed), in order; empty if the attribute is absent. */
    private static List<String> receivers(XmlStep s) {
        if (s.receiver() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : s.receiver().split(",", -1)) {
            out.add(part.strip());
        }
        return out;
    }

    private void checkReceivers(XmlStep s, String what) {
        if (s.receiver() == null) {
            return;
        }
        if (s.receiver().isBlank()) {
            problems.add(src.at(s, "receiver", what + ": receiver is empty; leave it out for the default ("
                    + (s instanceof XmlStep.Response ? "the querier" : "the whole group") + ")"));
            return;
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String r : receivers(s)) {
            int occurrence = seen.merge(r, 1, Integer::sum) - 1;
            if (r.isEmpty()) {
                problems.add(src.at(s, "receiver", what + ": the receiver list \"" + s.receiver()
                        + "\" has an empty entry"));
                return;
            }
            if (!roleDecl.containsKey(r)) {
                if (!roleDecl.isEmpty()) {
                    problems.add(src.atItem(s, "receiver", r, occurrence, what + ": "
                            + unknown("receiver", r, roleDecl.keySet(), "roles")));
                }
            } else if (occurrence == 1) {
                problems.add(src.atItem(s, "receiver", r, occurrence, what + ": receiver '" + r + "' is listed twice"));
            }
        }
    }

    private <T> T value(Located e, String attribute, Values.Parsed<T> p) {
        if (!p.isOk()) {
            problems.add(src.at(e, attribute, p.error()));
            return null;
        }
        return p.value();
    }

    /** "unknown role 'X'; did you mean 'Y'?" or "...; the roles are 'A' and 'B'". */
    private static String unknown(String label, String name, Set<String> declared, String plural) {
        String near = Values.closest(name, declared);
        return "unknown " + label + " '" + name + "'" + (near != null ? "; did you mean '" + near + "'?"
                : declared.isEmpty() ? "; there are no " + plural : "; the " + plural + " are " + Values.quoted(declared));
    }
}
