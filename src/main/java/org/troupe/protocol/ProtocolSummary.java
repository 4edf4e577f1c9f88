package org.troupe.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code troupe validate} prints for a valid descriptor: the roles; per message type who may
 * send it, to whom, its kind, what it answers (with min..max and timeout) and the ordering it
 * gets; the patterns; and the member stack the protocol implies (with the implied-order
 * optimisation on: responses and turns skip the sequencer).
 *
 * <pre>
 * OK: classpath:xml-protocols/tele-teaching.xml protocol tele-teaching
 *
 * Roles
 *   Student  1..n
 *   Teacher  1..1
 *
 * Message types
 *   TYPE           KIND       FROM     TO           ANSWERS                        ORDERING
 *   Question       proactive  Teacher  Student      -                              total order (sequencer)
 *   Answer         reactive   Student  Teacher      Question: 0..#Student in 60 s  after its query (skips the sequencer)
 *   ...
 *   TeacherAnswer  reactive   Teacher  the querier  Doubt: 0..1 in 120 s           after its query (skips the sequencer)
 *
 * Patterns
 *   Question (Teacher -&gt; Student)
 *     - Answer (Student -&gt; Teacher) 0..#Student in 60 s
 *   ...
 *
 * Member stack (bottom to top)
 *   CorbaTransport &gt; HeartbeatLayer &gt; TotalOrderLayer &gt; DestinationFilterLayer &gt; CorrelationLayer
 *     &gt; StateTransferLayer &gt; DeliveryLayer
 *   correlation layer: yes (2 query patterns)
 *   turn layer: no (no turn-based patterns)
 *   sequencer: total order for Question, Formula; Answer, Doubt, TeacherAnswer skip it
 * </pre>
 */
public final class ProtocolSummary {
    private ProtocolSummary() {
    }

    /** The summary of a protocol loaded from {@code file}, lines separated by {@code \n}. */
    public static String render(String file, ApplicationProtocol p) {
        StringBuilder b = new StringBuilder();
        b.append("OK: ").append(file).append(" protocol ").append(p.name()).append("\n\n");

        b.append("Roles\n");
        List<String[]> roles = new ArrayList<>();
        for (RoleDef r : p.roles()) {
            roles.add(new String[] {r.name(), r.min() + ".." + r.maxText()});
        }
        table(b, roles);

        b.append("\nMessage types\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TYPE", "KIND", "FROM", "TO", "ANSWERS", "ORDERING"});
        for (TypeRule t : p.rules().values()) {
            rows.add(new String[] {t.type(), kind(t), from(p, t), to(t), answers(p, t), ordering(t)});
        }
        table(b, rows);

        if (!p.patterns().isEmpty()) {
            b.append("\nPatterns\n");
            for (Pattern pattern : p.patterns()) {
                for (String line : pattern(pattern)) {
                    b.append("  ").append(line).append('\n');
                }
            }
        }

        b.append("\nMember stack (bottom to top)\n");
        b.append("  ").append(String.join(" > ", p.layers(true, false))).append('\n');
        long queries = p.patterns().stream().filter(x -> x instanceof Pattern.Query).count();
        long turns = p.patterns().stream().filter(x -> x instanceof Pattern.Turns).count();
        b.append("  correlation layer: ").append(queries > 0
                ? "yes (" + plural(queries, "query pattern") + ")" : "no (no query patterns)").append('\n');
        b.append("  turn layer: ").append(turns > 0
                ? "yes (" + plural(turns, "turn-based pattern") + ")" : "no (no turn-based patterns)").append('\n');
        List<String> sequenced = new ArrayList<>();
        List<String> implied = new ArrayList<>();
        for (TypeRule t : p.rules().values()) {
            (t.ordering(true) == TypeRule.Ordering.TOTAL ? sequenced : implied).add(t.type());
        }
        b.append("  sequencer: ");
        if (sequenced.isEmpty()) {
            b.append("not needed: the protocol implies the order of every type (").append(String.join(", ", implied))
                    .append(")\n");
        } else {
            b.append("total order for ").append(String.join(", ", sequenced));
            if (!implied.isEmpty()) {
                b.append("; ").append(String.join(", ", implied)).append(implied.size() == 1 ? " skips" : " skip")
                        .append(" it");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String kind(TypeRule t) {
        switch (t.kind()) {
            case REACTIVE:
                return "reactive";
            case TURN:
                return "turn";
            default:
                return "proactive";
        }
    }

    /** The senders in declaration order, or "any role". */
    private static String from(ApplicationProtocol p, TypeRule t) {
        if (t.senders().isEmpty()) {
            return "any role";
        }
        return inRoleOrder(p, t.senders());
    }

    private static String to(TypeRule t) {
        if (t.toQuerier()) {
            return "the querier";
        }
        return t.receivers().isEmpty() ? "the group" : String.join(", ", t.receivers());
    }

    /** For a response: each query it answers, with min..max and the timeout. */
    private static String answers(ApplicationProtocol p, TypeRule t) {
        if (t.answers().isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        for (TypeRule q : p.rules().values()) {
            if (!t.answers().contains(q.type())) {
                continue;
            }
            for (Step s : q.responses()) {
                if (s.type().equals(t.type())) {
                    parts.add(q.type() + ": " + s.min() + ".." + s.max()
                            + (s.timeout() == null ? "" : " in " + Values.format(s.timeout())));
                }
            }
        }
        return String.join("; ", parts);
    }

    private static String ordering(TypeRule t) {
        switch (t.ordering(true)) {
            case AFTER_QUERY:
                return "after its query (skips the sequencer)";
            case TURN:
                return "by turn (skips the sequencer)";
            default:
                return "total order (sequencer)";
        }
    }

    /**
     * One pattern, as a tree for a query ("Question (Teacher -> Student)", then each response
     * indented under what it answers) or as the order of turns.
     */
    private static List<String> pattern(Pattern pattern) {
        List<String> lines = new ArrayList<>();
        if (pattern instanceof Pattern.Query) {
            Pattern.Query q = (Pattern.Query) pattern;
            lines.add(step(q.query(), false));
            java.util.Map<String, Integer> depth = new java.util.HashMap<>();
            depth.put(q.query().type(), 0);
            for (Step s : q.responses()) {
                int d = depth.getOrDefault(s.answers(), 0) + 1;
                depth.put(s.type(), d);
                lines.add("  ".repeat(d) + "- " + step(s, true));
            }
            return lines;
        }
        Pattern.Turns t = (Pattern.Turns) pattern;
        boolean oneType = t.turns().stream().map(Step::type).distinct().count() == 1;
        List<String> order = t.turns().stream()
                .map(s -> (oneType ? "" : s.type() + " by ") + (s.role() == null ? "any role" : s.role()))
                .collect(Collectors.toList());
        lines.add("turns" + (oneType ? " of " + t.turns().get(0).type() : "") + ": " + String.join(" > ", order)
                + "; a round ends when the last has played, then starts over");
        return lines;
    }

    private static String step(Step s, boolean response) {
        String route = (s.role() == null ? "any role" : s.role()) + " -> "
                + (s.receivers().isEmpty() ? (response ? "the querier" : "the group") : String.join(", ", s.receivers()));
        return s.type() + " (" + route + ")" + (response ? " " + s.min() + ".." + s.max()
                + (s.timeout() == null ? "" : " in " + Values.format(s.timeout())) : "");
    }

    private static String inRoleOrder(ApplicationProtocol p, Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (RoleDef r : p.roles()) {
            if (names.contains(r.name())) {
                out.add(r.name());
            }
        }
        for (String n : names) {
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return String.join(", ", out);
    }

    private static String plural(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** Rows as aligned columns, two spaces apart, indented by two. */
    private static void table(StringBuilder b, List<String[]> rows) {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
