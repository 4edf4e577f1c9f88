package org.troupe.cli;

import java.nio.file.Path;
import org.troupe.member.JoinOptions;
import picocli.CommandLine.Option;

/**
 * A group's join key, for a command that joins or creates a keyed group: from
 * {@code --join-key-file FILE}, else the environment ({@code TROUPE_JOIN_KEY_FILE}, then
 * {@code TROUPE_JOIN_KEY}); never from a value on the command line.
 */
final class JoinKeyOptions {
    static final String FILE_VARIABLE = "TROUPE_JOIN_KEY_FILE";
    static final String KEY_VARIABLE = "TROUPE_JOIN_KEY";

    @Option(names = "--join-key-file", paramLabel = "FILE",
            description = "The group's join key, in a file (default: the file named by $TROUPE_JOIN_KEY_FILE, or the"
                    + " key in $TROUPE_JOIN_KEY). Creating a group with it makes the key required to join.")
    Path file;

    /** The join key given, or null. */
    String key() {
        if (file != null) {
            return JoinOptions.readJoinKey(file);
        }
        String f = System.getenv(FILE_VARIABLE);
        if (f != null && !f.isBlank()) {
            return JoinOptions.readJoinKey(Path.of(f));
        }
        String k = System.getenv(KEY_VARIABLE);
        return k == null || k.isBlank() ? null : k.strip();
    }

    /** Makes every join of this process give the key, if one is given; returns it (or null). */
    String apply() {
        String k = key();
        JoinOptions.useJoinKeyForThisProcess(k);
        return k;
    }
}
