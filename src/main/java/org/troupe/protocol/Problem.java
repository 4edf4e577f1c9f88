package org.troupe.protocol;

/**
 * One thing wrong with an application-protocol descriptor, and where: {@code toString()} is
 * {@code file:line:column: message}, the form compilers use, so editors and terminals can jump to
 * it. A problem with no place in the file (a missing or unreadable file) has line and column 0
 * and prints as {@code file: message}.
 *
 * @param file the file as the user named it (or {@code classpath:xml-protocols/NAME.xml} for a
 *        bundled protocol)
 * @param line 1-based line, 0 if none
 * @param column 1-based column, 0 if none
 * @param message what is wrong, in plain words
 */
public record Problem(String file, int line, int column, String message) {

    /** A problem with the file as a whole (missing, unreadable, not UTF-8...). */
    public static Problem ofFile(String file, String message) {
        return new Problem(file, 0, 0, message);
    }

    /** True if the problem has a line and column. */
    public boolean hasPosition() {
        return line > 0;
    }

    @Override
    public String toString() {
        return hasPosition() ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
    }
}
