package org.troupe.protocol;

/**
 * What a name may be. Member, role and message-type names are text people read in views, logs
 * and listings: any letters, digits, marks, punctuation, symbols and spaces of Unicode ("Zoë",
 * "你好 学生"), but no control or format characters (a newline or an ANSI escape would forge log
 * lines and listings, a bidi override would disguise a name), no unassigned or private-use code
 * points, no lone surrogates, and no space at either end. Member names are 1-64 characters; role
 * and message-type names 1-256. Group and channel names, which appear in object keys and URLs,
 * are stricter (letters, digits, '.', '_', '-').
 */
public final class Names {
    /** The longest member name. */
    public static final int MEMBER_MAX = 64;
    /** The longest role or message-type name. */
    public static final int TYPE_MAX = 256;

    private Names() {
    }

    /** Null if {@code name} is a valid name of at most {@code max} characters, else why not. */
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
}
