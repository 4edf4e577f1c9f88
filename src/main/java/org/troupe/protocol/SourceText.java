package org.troupe.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.troupe.protocol.xml.Located;

/**
 * A descriptor's text with its line starts: turns the parser's line and column into offsets and
 * back, finds a start tag's {@code <} from the parser's position after its {@code >}, and an
 * attribute (or one item of a comma-separated value) inside a start tag, so that problems point
 * at the exact place.
 */
final class SourceText {
    private final String file;
    private final String text;
    private final int[] lineStarts;

    SourceText(String file, String text) {
        this.file = file;
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    String file() {
        return file;
    }

    String text() {
        return text;
    }

    /** The offset of a 1-based line and column as the XML parser reports them (clamped to the text). */
    int offset(int line, int column) {
        if (line < 1) {
            return 0;
        }
        if (line > lineStarts.length) {
            return text.length();
        }
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] : text.length();
        return Math.max(start, Math.min(end, start + Math.max(column, 1) - 1));
    }

    /** A problem at an offset. */
    Problem at(int offset, String message) {
        int o = Math.max(0, Math.min(offset, text.length()));
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= o) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new Problem(file, lo + 1, o - lineStarts[lo] + 1, message);
    }

    /** The 1-based line of an offset. */
    int lineOf(int offset) {
        return at(offset, "").line();
    }

    /** A problem at an element's start tag. */
    Problem at(Located e, String message) {
        return at(Math.max(e.tagStart(), 0), message);
    }

    /** A problem at an attribute of an element (at the element if the attribute is not in its tag). */
    Problem at(Located e, String attribute, String message) {
        return at(attributeOffset(e, attribute), message);
    }

    /**
     * A problem at one item of an attribute's value, e.g. one role of {@code receiver="A, B"} (at
     * the attribute if the item is not found as written).
     */
    Problem atItem(Located e, String attribute, String item, int occurrence, String message) {
        int value = valueOffset(e, attribute);
        if (value < 0) {
            return at(e, attribute, message);
        }
        char quote = text.charAt(value - 1);
        int end = text.indexOf(quote, value);
        if (end < 0) {
            return at(e, attribute, message);
        }
        String raw = text.substring(value, end);
        int from = 0;
        for (int n = 0; n <= occurrence; n++) {
            int i = indexOfItem(raw, item, from);
            if (i < 0) {
                return at(e, attribute, message);
            }
            if (n == occurrence) {
                return at(value + i, message);
            }
            from = i + Math.max(item.length(), 1);
        }
        return at(e, attribute, message);
    }

    /** Index of a comma-separated item (trimmed) in a raw value, at or after {@code from}; -1 if none. */
    private static int indexOfItem(String raw, String item, int from) {
        int start = from;
        while (start <= raw.length()) {
            int comma = raw.indexOf(',', start);
            int end = comma < 0 ? raw.length() : comma;
            String piece = raw.substring(start, end);
            String trimmed = piece.strip();
            if (trimmed.equals(item)) {
                int lead = piece.indexOf(trimmed.isEmpty() ? piece : trimmed);
                return start + (trimmed.isEmpty() ? 0 : Math.max(lead, 0));
            }
            if (comma < 0) {
                return -1;
            }
            start = comma + 1;
        }
        return -1;
    }

    /** The offset of the {@code <} that starts the tag ending just before {@code end} (after its {@code >}). */
    int tagStartBefore(int end) {
        int i = Math.min(end, text.length()) - 1;
        while (i >= 0 && text.charAt(i) != '<') {
            i--;
        }
        return Math.max(i, 0);
    }

    /** The offset of an attribute's name in an element's start tag; the tag's start if absent. */
    int attributeOffset(Located e, String attribute) {
        Matcher m = attributeMatcher(e, attribute);
        return m != null ? e.tagStart() + m.start(1) : Math.max(e.tagStart(), 0);
    }

    /** The offset of an attribute's value (after its opening quote); -1 if absent. */
    int valueOffset(Located e, String attribute) {
        Matcher m = attributeMatcher(e, attribute);
        return m != null ? e.tagStart() + m.end() : -1;
    }

    /** The raw text of an attribute's value in an element's start tag, or null. */
    String rawValue(Located e, String attribute) {
        int v = valueOffset(e, attribute);
        if (v < 0) {
            return null;
        }
        int end = text.indexOf(text.charAt(v - 1), v);
        return end < 0 ? null : text.substring(v, end);
    }

    private Matcher attributeMatcher(Located e, String attribute) {
        if (e.tagStart() < 0 || e.tagEnd() <= e.tagStart() || e.tagEnd() > text.length()) {
            return null;
        }
        String tag = text.substring(e.tagStart(), e.tagEnd());
        Matcher m = java.util.regex.Pattern.compile("\\s(" + java.util.regex.Pattern.quote(attribute) + ")\\s*=\\s*[\"']")
                .matcher(tag);
        return m.find() ? m : null;
    }

    /**
     * The offset where the first non-blank text before {@code end} starts, if the nearest thing
     * before {@code end} (skipping white space) is text rather than a tag; -1 otherwise.
     */
    int textBefore(int end) {
        int i = Math.min(end, text.length()) - 1;
        while (i >= 0 && Character.isWhitespace(text.charAt(i))) {
            i--;
        }
        if (i < 0 || text.charAt(i) == '>') {
            return -1;
        }
        while (i > 0 && text.charAt(i - 1) != '>') {
            i--;
        }
        while (i < end && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
