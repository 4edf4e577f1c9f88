package org.troupe.interop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code troupe-watch} output: its tag ({@code MSG}, {@code SEQ}, {@code VIEW} ...)
 * and its {@code key=value} fields (a bare word is a field with an empty value); quoted values are unescaped ({@code \" \\ \n \r \t \xNN}).
 */
public record WatchLine(String tag, Map<String, String> fields, String raw) {

    public static WatchLine parse(String line) {
        int sp = line.indexOf(' ');
        String tag = sp < 0 ? line : line.substring(0, sp);
        Map<String, String> fields = new LinkedHashMap<>();
        int i = sp < 0 ? line.length() : sp + 1;
        while (i < line.length()) {
            int eq = line.indexOf('=', i);
            int space = line.indexOf(' ', i);
            if (eq < 0 || (space >= 0 && space < eq)) { // a bare word ("WATCHING channel"): a flag
                int end = space < 0 ? line.length() : space;
                fields.put(line.substring(i, end), "");
                i = end + 1;
                continue;
            }
            String key = line.substring(i, eq);
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            if (j < line.length() && line.charAt(j) == '"') {
                j = unquote(line, j, value);
            } else { // bare, up to a space outside quotes (members=[1:"a b":"R"])
                boolean inQuotes = false;
                for (; j < line.length() && (inQuotes || line.charAt(j) != ' '); j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && inQuotes) {
                        value.append(c).append(line.charAt(++j));
                        continue;
                    }
                    if (c == '"') {
                        inQuotes = !inQuotes;
                    }
                    value.append(c);
                }
            }
            fields.put(key, value.toString());
            i = j + 1;
        }
        return new WatchLine(tag, fields, line);
    }

    /** Reads a quoted string starting at {@code from} (the opening quote); returns the index after it. */
    private static int unquote(String s, int from, StringBuilder out) {
        int j = from + 1;
        while (j < s.length() && s.charAt(j) != '"') {
            char c = s.charAt(j);
            if (c == '\\') {
                char e = s.charAt(++j);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'x' -> {
                        out.append((char) Integer.parseInt(s.substring(j + 1, j + 3), 16));
                        j += 2;
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
            j++;
        }
        if (j >= s.length()) {
            throw new IllegalArgumentException("unterminated quote in: " + s);
        }
        return j + 1;
    }

    public String get(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no field '" + key + "' in: " + raw);
        }
        return v;
    }

    public long num(String key) {
        return Long.parseLong(get(key));
    }

    public boolean is(String t) {
        return tag.equals(t);
    }

    @Override
    public String toString() {
        return raw;
    }
}
