package org.troupe.protocol;

import java.util.regex.Pattern;

/**
 * What a name may be: the one rule for every name a client gives Troupe, used by the server on
 * every operation that takes one and by clients that check before they call.
 *
 * <ul>
 * <li><b>Group names</b> appear in object keys, corbaloc URLs and the group channel's label
 * ({@code group.NAME}): 1-58 characters of ASCII letters, digits, '.', '_' and '-'.</li>
 * <li><b>Channel names</b> are also bound in naming as {@code troupe/channels/NAME}, read in the
 * CosNaming string syntax where '.' separates a component's id from its kind: 1-64 characters of
 * ASCII letters, digits, '_' and '-', with at most one '.' between two of them ('/', '\', a dot
 * first, last or twice are refused).</li>
 * <li><b>Member names, roles, message types and a protocol's name</b> are text people read in
 * views, logs and listings: any letters, digits, marks, punctuation, symbols and spaces of
 * Unicode ("Zoë", "你好 学生", "member:9"), but no control or format characters (a newline or an
 * ANSI escape would forge log lines and listings, a bidi override would disguise a name), no
 * unassigned or private-use code points, no lone surrogates, and no space at either end. Member
 * names are 1-64 characters; roles, message types and protocol names 1-256.</li>
 * </ul>
 *
 * Every refusal names the name (escaped: see {@link #printable}), says what is wrong with it and
 * states the rule.
 */
public final class Names {
    /** The longest group name (its channel adds "group." and a secret to it). */
    public static final int GROUP_MAX = 58;
    /** The longest channel name. */
    public static final int CHANNEL_MAX = 64;
    /** The longest member name. */
    public static final int MEMBER_MAX = 64;
    /** The longest role, message-type or protocol name. */
    public static final int TYPE_MAX = 256;

    /** The group-name rule, as refusals state it. */
    public static final String GROUP_RULE = "a group name is 1-" + GROUP_MAX
            + " characters of letters (A-Z, a-z), digits, '.', '_' and '-'";
    /** The channel-name rule, as refusals state it. */
    public static final String CHANNEL_RULE = "a channel name is 1-" + CHANNEL_MAX
            + " characters of letters (A-Z, a-z), digits, '_' and '-', with at most one '.' between two of them"
            + " (in a CosNaming name '.' separates id and kind, '/' components)";
    /** What text names (members, roles, message types, protocols) may hold, as refusals state it. */
    public static final String TEXT_RULE = "Unicode text without control or format characters, unassigned or"
            + " private-use code points, or a space at either end";

    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1," + GROUP_MAX + "}");
    private static final Pattern CHANNEL = Pattern.compile("(?=.{1," + CHANNEL_MAX + "}$)[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)?");

    private Names() {
    }

    /** The kinds of text names, with their lengths. */
    public enum Text {
        MEMBER("member name", MEMBER_MAX), ROLE("role name", TYPE_MAX), MESSAGE_TYPE("message type", TYPE_MAX),
        PROTOCOL("protocol name", TYPE_MAX);

        private final String what;
        private final int max;

        Text(String what, int max) {
            this.what = what;
            this.max = max;
        }

        /** How refusals call this kind of name ("member name"). */
        public String what() {
            return what;
        }

        public int max() {
            return max;
        }
    }

    /** Null if {@code name} is a valid group name, else the refusal: the name, why, and the rule. */
    public static String groupRefusal(String name) {
        if (name != null && GROUP.matcher(name).matches()) {
            return null;
        }
        return refusal("group name", name, asciiProblem(name, GROUP_MAX, "."), GROUP_RULE);
    }

    /** Null if {@code name} is a valid channel name, else the refusal: the name, why, and the rule. */
    public static String channelRefusal(String name) {
        if (name != null && CHANNEL.matcher(name).matches()) {
            return null;
        }
        String why = asciiProblem(name, CHANNEL_MAX, ".");
        return refusal("channel name", name, why != null ? why : "its '.' is first, last or not the only one",
                CHANNEL_RULE);
    }

    /** Null if {@code name} is a valid name of this kind, else the refusal: the name, why, and the rule. */
    public static String refusal(Text kind, String name) {
        String why = problem(name, kind.max());
        return why == null ? null : refusal(kind.what(), name, why, "a " + kind.what() + " is 1-" + kind.max()
                + " characters of " + TEXT_RULE);
    }

    private static String refusal(String what, String name, String why, String rule) {
        return "the " + what + " '" + printable(name) + "' is refused: " + why + "; " + rule;
    }

    /** Why a name is not of {@code max} ASCII letters, digits, '_', '-' and {@code others}, or null. */
    private static String asciiProblem(String name, int max, String others) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.codePointCount(0, name.length()) > max) {
            return "it is longer than " + max + " characters";
        }
        for (int i = 0; i < name.length();) {
            int cp = name.codePointAt(i);
            boolean ok = cp < 128 && (Character.isLetterOrDigit(cp) || cp == '_' || cp == '-'
                    || others.indexOf(cp) >= 0);
            if (!ok) {
                return String.format("it holds the character U+%04X", cp);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** Null if {@code name} is valid text of at most {@code max} characters, else why not. */
    public static String problem(String name, int max) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.codePointCount(0, name.length()) > max) {
            return "it is longer than " + max + " characters";
        }
        if (Character.isWhitespace(name.codePointAt(0)) || Character.isWhitespace(name.codePointBefore(name.length()))) {
            return "it starts or ends with a space";
        }
        for (int i = 0; i < name.length();) {
            int cp = name.codePointAt(i);
            switch (Character.getType(cp)) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                        Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE:
                    return String.format("it holds the character U+%04X (control, format or unassigned characters"
                            + " are not allowed)", cp);
                default:
                    break;
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * A name as a message may show it: control, format and separator characters (and lone
     * surrogates) escaped as {@code \\uXXXX}, at most 80 characters then "...". What a client
     * gave cannot forge a line of a log or a listing through a refusal that quotes it.
     */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (n++ == 80) {
                b.append("...");
                break;
            }
            switch (Character.getType(cp)) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                        Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE:
                    b.append(String.format("\\u%04x", cp));
                    break;
                default:
                    b.appendCodePoint(cp);
            }
        }
        return b.toString();
    }
}
