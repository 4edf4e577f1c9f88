package org.troupe.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.troupe.protocol.xml.Located;

/**
 * Rewrites the schema validator's messages ({@code cvc-complex-type.2.4.a: Invalid content was
 * found starting with element ...}) into plain words, placed at the element or attribute they are
 * about. The validator's arguments are read from its quoted words, so the rewrite does not depend
 * on the English wording; a message it does not know keeps its text without the {@code cvc-} code.
 */
final class SchemaMessages {
    /** The attributes each element has, for "unknown attribute" messages. */
    static final Map<String, List<String>> ATTRIBUTES = Map.of(
            "protocol", List.of("name"),
            "role", List.of("name", "min", "max"),
            "message-type", List.of("name"),
            "query", List.of("type", "role", "receiver", "min", "max"),
            "response", List.of("type", "role", "receiver", "min", "max", "timeout"),
            "message", List.of("type", "role", "receiver", "min", "max"));

    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("'([^']*)'");
    private static final String ONE_KIND =
            "; a pattern is either a <query> with its <response>s, or turn-based <message>s, not both";

    private final SourceText source;
    private final ElementTracker tracker;

    SchemaMessages(SourceText source, ElementTracker tracker) {
        this.source = source;
        this.tracker = tracker;
    }

    /** True if the message comes from the schema validator (rather than from JAXB itself). */
    static boolean isSchemaMessage(String message) {
        return message != null && (message.startsWith("cvc-") || message.startsWith("s4s-"));
    }

    /**
     * The problem a validator message reports, or null for one that repeats the next message (a
     * facet error is followed by {@code cvc-attribute.3}, which names the attribute).
     */
    Problem rewrite(String message, int line, int column) {
        int colon = message.indexOf(':');
        String key = colon > 0 ? message.substring(0, colon) : "";
        String rest = colon > 0 ? message.substring(colon + 1).strip() : message;
        List<String> args = quoted(rest);
        int fallback = source.offset(line, column);
        ElementTracker.Frame top = tracker.current();
        switch (key) {
            case "cvc-pattern-valid":
            case "cvc-datatype-valid.1.2.1":
            case "cvc-datatype-valid.1.2.3":
            case "cvc-enumeration-valid":
            case "cvc-minInclusive-valid":
            case "cvc-maxInclusive-valid":
            case "cvc-minLength-valid":
            case "cvc-maxLength-valid":
            case "cvc-length-valid":
                return null;
            case "cvc-attribute.3": {
                // The value comes first and may hold quotes: read the attribute and element from the end.
                List<String> fromEnd = quotedFromEnd(rest, 3);
                if (fromEnd.size() == 3) {
                    return badValue(fromEnd.get(0), fromEnd.get(1));
                }
                break;
            }
            case "cvc-complex-type.3.2.2":
                if (args.size() >= 2) {
                    return unknownAttribute(args.get(0), args.get(1));
                }
                break;
            case "cvc-complex-type.4":
                if (args.size() >= 2) {
                    return missingAttribute(args.get(0), args.get(1));
                }
                break;
            case "cvc-complex-type.2.4.a":
                if (args.size() >= 2) {
                    return unexpected(args.get(0), expected(args.get(1)));
                }
                break;
            case "cvc-complex-type.2.4.d":
                if (!args.isEmpty()) {
                    return unexpected(args.get(0), List.of());
                }
                break;
            case "cvc-complex-type.2.4.b":
                if (args.size() >= 2) {
                    return incomplete(args.get(0), expected(args.get(1)));
                }
                break;
            case "cvc-complex-type.2.3":
                if (!args.isEmpty()) {
                    ElementTracker.Frame f = frame(args.get(0));
                    int at = f == null ? fallback : f.firstText >= 0 ? f.firstText : f.tagStart;
                    return source.at(at, "text is not allowed in <" + args.get(0) + ">, only elements");
                }
                break;
            case "cvc-complex-type.2.1":
                if (!args.isEmpty()) {
                    ElementTracker.Frame f = frame(args.get(0));
                    int at = f == null ? fallback : f.firstText >= 0 ? f.firstText : f.tagStart;
                    return source.at(at, "<" + args.get(0) + "> must be empty: it has attributes only"
                            + (args.get(0).equals("query") || args.get(0).equals("message")
                                    ? " (nested <response>s go inside a <response>)" : ""));
                }
                break;
            case "cvc-elt.1.a":
            case "cvc-elt.1":
                if (!args.isEmpty() && top != null) {
                    if (args.get(0).equals("protocol") && !top.namespace.isEmpty()) {
                        return source.at(top.tagStart, "<protocol> must have no namespace: remove xmlns=\""
                                + top.namespace + "\"");
                    }
                    return source.at(top.tagStart, "the root element must be <protocol>, not <" + args.get(0) + ">");
                }
                break;
            default:
                break;
        }
        return source.at(fallback, key.isEmpty() ? rest : rest.isEmpty() ? message : rest);
    }

    /** The words in single quotes, in order. */
    private static List<String> quoted(String text) {
        List<String> args = new ArrayList<>();
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            args.add(m.group(1));
        }
        return args;
    }

    /** The last {@code n} words in single quotes, in order, found from the end of the text. */
    private static List<String> quotedFromEnd(String text, int n) {
        List<String> reversed = quoted(new StringBuilder(text).reverse().toString());
        List<String> out = new ArrayList<>();
        for (int i = Math.min(n, reversed.size()) - 1; i >= 0; i--) {
            out.add(new StringBuilder(reversed.get(i)).reverse().toString());
        }
        return out;
    }

    private Problem badValue(String attribute, String element) {
        Located e = located(frame(element));
        String raw = e == null ? null : source.rawValue(e, attribute);
        String why = raw == null ? null : Values.explain(element, attribute, raw);
        if (why == null) {
            why = attribute + "=\"" + (raw == null ? "?" : raw) + "\" is not a valid value for <" + element + ">";
        }
        return e == null ? source.at(0, why) : source.at(e, attribute, why);
    }

    private Problem unknownAttribute(String attribute, String element) {
        Located e = located(frame(element));
        List<String> known = ATTRIBUTES.getOrDefault(element, List.of());
        String msg;
        if (attribute.equals("timeout") && (element.equals("query") || element.equals("message"))) {
            msg = "<" + element + "> has no timeout: a timeout belongs on the <response>s, where the querier collects them";
        } else {
            String near = Values.closest(attribute, known);
            msg = "<" + element + "> has no attribute '" + attribute + "'"
                    + (near != null ? " (did you mean '" + near + "'?)" : "")
                    + (known.isEmpty() ? "; it takes no attributes" : "; its attributes are " + String.join(", ", known));
        }
        return e == null ? source.at(0, msg) : source.at(e, attribute, msg);
    }

    private Problem missingAttribute(String attribute, String element) {
        ElementTracker.Frame f = frame(element);
        String what;
        switch (attribute) {
            case "timeout":
                what = ": how long the querier collects responses, e.g. timeout=\"60 s\"";
                break;
            case "role":
                what = element.equals("message") ? ": whose turn it is" : "";
                break;
            case "min":
            case "max":
                what = element.equals("role") ? (attribute.equals("min")
                        ? ": how many members the group needs in this role"
                        : ": how many members it admits, a number or \"n\"") : "";
                break;
            case "type":
                what = ": one of the <message-types>";
                break;
            default:
                what = "";
                break;
        }
        return source.at(f == null ? 0 : f.tagStart, "<" + element + "> needs attribute '" + attribute + "'" + what);
    }

    private Problem unexpected(String element, List<String> expected) {
        ElementTracker.Frame f = tracker.current();
        if (f == null || !f.name.equals(element)) {
            f = frame(element);
        }
        ElementTracker.Frame parent = f == tracker.current() ? tracker.parent() : null;
        String in = parent == null ? "" : " in <" + parent.name + ">";
        StringBuilder msg = new StringBuilder("unexpected element <" + element + ">" + in);
        if (expected.isEmpty()) {
            msg.append(parent == null ? ": nothing more is allowed here" : ": <" + parent.name + "> allows nothing more here");
        } else {
            msg.append("; expected ").append(elements(expected));
            String near = expected.size() > 1 ? Values.closest(element, expected) : null;
            if (near != null && !near.equals(element)) {
                msg.append(" (did you mean <").append(near).append(">?)");
            }
        }
        boolean mixes = (element.equals("message") && expected.contains("response"))
                || ((element.equals("response") || element.equals("query")) && expected.equals(List.of("message")));
        if (mixes) {
            msg.append(ONE_KIND);
        }
        return source.at(f == null ? 0 : f.tagStart, msg.toString());
    }

    private Problem incomplete(String element, List<String> expected) {
        ElementTracker.Frame f = frame(element);
        int at = f == null ? 0 : f.tagStart;
        String msg;
        if (element.equals("pattern") && f != null && f.children == 0) {
            msg = "empty <pattern>: a pattern needs a <query> with its <response>s, or turn-based <message>s";
        } else if (element.equals("pattern") && expected.equals(List.of("response"))) {
            msg = "the <query> of this <pattern> has no <response>; a query needs at least one";
        } else if (f != null && f.children == 0) {
            msg = "<" + element + "> is empty; it needs " + elements(expected);
        } else {
            msg = "<" + element + "> is incomplete; expected " + elements(expected);
        }
        return source.at(at, msg);
    }

    private ElementTracker.Frame frame(String name) {
        ElementTracker.Frame top = tracker.current();
        return top != null && top.name.equals(name) ? top : tracker.named(name);
    }

    /** A stand-in {@link Located} for an open element, to find its attributes. */
    private static Located located(ElementTracker.Frame f) {
        if (f == null) {
            return null;
        }
        Located l = new Located() {
            @Override
            public String elementName() {
                return f.name;
            }
        };
        l.setTag(f.tagStart, f.tagEnd);
        return l;
    }

    /** The element names in "{a, b}" or {"ns":a, ...}. */
    private static List<String> expected(String braces) {
        String s = braces.replaceAll("^\\{|\\}$", "");
        List<String> names = new ArrayList<>();
        for (String part : s.split(",")) {
            String n = part.strip().replaceAll("^\"[^\"]*\":", "");
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return names;
    }

    private static String elements(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                b.append(i == names.size() - 1 ? " or " : ", ");
            }
            b.append('<').append(names.get(i)).append('>');
        }
        return b.toString();
    }
}
