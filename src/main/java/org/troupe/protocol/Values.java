package org.troupe.protocol;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * The attribute values of a descriptor, parsed, with the plain-words explanation of a bad one.
 * The schema rewriter ({@link SchemaMessages}) and the semantic checks ({@link ProtocolChecker})
 * use the same explanations, so a value the schema refuses is reported once, the same way.
 */
final class Values {
    /** The largest number a min or max may be. */
    static final int LARGEST = 1_000_000;
    /** The units a timeout may have. */
    static final List<String> UNITS = List.of("ms", "s", "min", "h");

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[0-9]+");
    private static final java.util.regex.Pattern TIMEOUT =
            java.util.regex.Pattern.compile("([0-9]+) ?([A-Za-z]*)");

    private Values() {
    }

    /** A parsed value, or the reason it is wrong. */
    record Parsed<T>(T value, String error) {
        static <T> Parsed<T> ok(T v) {
            return new Parsed<>(v, null);
        }

        static <T> Parsed<T> bad(String why) {
            return new Parsed<>(null, why);
        }

        boolean isOk() {
            return error == null;
        }
    }

    /** XML's token collapse: trims and turns runs of white space into one space. */
    static String collapse(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    /** A min: a whole number from 0 to {@link #LARGEST}. */
    static Parsed<Integer> min(String attribute, String text) {
        String v = collapse(text);
        if (!NUMBER.matcher(v).matches()) {
            String why = v.startsWith("-") && NUMBER.matcher(v.substring(1)).matches()
                    ? "cannot be negative" : "must be a whole number, 0 or more";
            return Parsed.bad(attribute + "=\"" + text + "\" " + why);
        }
        return number(attribute, text, v);
    }

    /** A role's max: a whole number or "n". */
    static Parsed<Integer> roleMax(String text) {
        String v = collapse(text);
        if (v.equals("n")) {
            return Parsed.ok(RoleDef.UNBOUNDED);
        }
        if (!NUMBER.matcher(v).matches()) {
            return Parsed.bad("max=\"" + text + "\" must be a whole number or \"n\" (no limit)"
                    + (v.startsWith("#") ? "; \"#Role\" counts are for message patterns, not roles" : ""));
        }
        return number("max", text, v);
    }

    /**
     * A pattern's max: a whole number, "n" or "#Role" (the role is not looked up here). Returns a
     * {@link Count}.
     */
    static Parsed<Count> count(String text) {
        String v = collapse(text);
        if (v.equals("n")) {
            return Parsed.ok(Count.UNBOUNDED);
        }
        if (v.startsWith("#")) {
            String role = v.substring(1).strip();
            if (role.isEmpty()) {
                return Parsed.bad("max=\"" + text + "\" names no role after '#'");
            }
            if (!v.substring(1).equals(role)) {
                return Parsed.bad("max=\"" + text + "\": no space after '#' (write \"#" + role + "\")");
            }
            return Parsed.ok(Count.perRole(role));
        }
        if (!NUMBER.matcher(v).matches()) {
            return Parsed.bad("max=\"" + text + "\" must be a whole number, \"n\" (no limit) or \"#Role\" "
                    + "(the members of a role in the current view)");
        }
        Parsed<Integer> n = number("max", text, v);
        return n.isOk() ? Parsed.ok(Count.of(n.value())) : Parsed.bad(n.error());
    }

    private static Parsed<Integer> number(String attribute, String text, String digits) {
        String d = digits.replaceFirst("^0+(?=.)", "");
        if (d.length() > 7 || Integer.parseInt(d) > LARGEST) {
            return Parsed.bad(attribute + "=\"" + text + "\" is too large (at most " + LARGEST + ")");
        }
        return Parsed.ok(Integer.parseInt(d));
    }

    /** A timeout: a whole number and a unit, ms, s, min or h; more than 0. */
    static Parsed<Duration> timeout(String text) {
        String v = collapse(text);
        Matcher m = TIMEOUT.matcher(v);
        String units = String.join(", ", UNITS);
        if (!m.matches()) {
            return Parsed.bad("timeout=\"" + text + "\" must be a whole number and a unit, e.g. \"60 s\" (units: "
                    + units + ")");
        }
        String unit = m.group(2);
        if (unit.isEmpty()) {
            return Parsed.bad("timeout=\"" + text + "\" has no unit: write e.g. \"" + m.group(1) + " s\" (units: "
                    + units + ")");
        }
        if (!UNITS.contains(unit)) {
            String hint = UNITS.contains(unit.toLowerCase(Locale.ROOT)) ? "; units are lower case"
                    : unit.toLowerCase(Locale.ROOT).startsWith("sec") ? "; for seconds write \"s\"" : "";
            return Parsed.bad("timeout=\"" + text + "\" has an unknown unit '" + unit + "' (units: " + units + ")"
                    + hint);
        }
        String digits = m.group(1).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 9) {
            return Parsed.bad("timeout=\"" + text + "\" is too long");
        }
        long n = Long.parseLong(digits);
        if (n == 0) {
            return Parsed.bad("timeout=\"" + text + "\" must be more than 0");
        }
        Duration d;
        switch (unit) {
            case "ms":
                d = Duration.ofMillis(n);
                break;
            case "s":
                d = Duration.ofSeconds(n);
                break;
            case "min":
                d = Duration.ofMinutes(n);
                break;
            default:
                d = Duration.ofHours(n);
                break;
        }
        if (d.compareTo(ApplicationProtocol.MAX_TIMEOUT) > 0) {
            return Parsed.bad("timeout=\"" + text + "\" is too long (at most " + ApplicationProtocol.MAX_TIMEOUT.toDays()
                    + " days)");
        }
        return Parsed.ok(d);
    }

    /** A timeout as a descriptor writes it: {@code 60 s}, {@code 500 ms}, {@code 2 min}, {@code 1 h}. */
    static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        long s = d.getSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s % 60 == 0 && s >= 600) {
            return s / 60 + " min";
        }
        return s + " s";
    }

    /**
     * The plain-words reason a value the schema refused is wrong, for an attribute of an element;
     * null if the attribute has no specific explanation.
     */
    static String explain(String element, String attribute, String value) {
        Parsed<?> p;
        switch (attribute) {
            case "min":
                p = min("min", value);
                break;
            case "max":
                p = element.equals("role") ? roleMax(value) : count(value);
                break;
            case "timeout":
                p = timeout(value);
                break;
            default:
                return null;
        }
        return p.isOk() ? null : p.error();
    }

    /** The closest of {@code names} to {@code wrong} if it is a likely misspelling, or null. */
    static String closest(String wrong, Collection<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            if (n.equalsIgnoreCase(wrong)) {
                return n;
            }
            int d = distance(wrong.toLowerCase(Locale.ROOT), n.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = n;
            }
        }
        int allowed = Math.min(2, wrong.length() / 3);
        if (best == null || bestDistance > allowed || sameButNumbers(wrong, best)) {
            return null;
        }
        return best;
    }

    /** "Player 5" and "Player 1" are different numbered names, not a misspelling. */
    private static boolean sameButNumbers(String a, String b) {
        return a.replaceAll("[0-9]", "").equalsIgnoreCase(b.replaceAll("[0-9]", ""));
    }

    /** Edit distance with transpositions (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** "'A', 'B' and 'C'" — names quoted and joined for a message. */
    static String quoted(Collection<String> names) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (String n : names) {
            if (i > 0) {
                b.append(i == names.size() - 1 ? " and " : ", ");
            }
            b.append('\'').append(n).append('\'');
            i++;
        }
        return b.toString();
    }
}
