package org.troupe.cli;

import java.nio.file.Path;
import org.troupe.orb.AdminCredential;
import org.troupe.orb.AdminCredentialSender;
import picocli.CommandLine.Option;

/**
 * The admin credential of a command that administers a server (creates, destroys or lists groups
 * and channels): from {@code --admin-secret-file FILE}, else the environment
 * ({@code TROUPE_ADMIN_SECRET_FILE}, then {@code TROUPE_ADMIN_SECRET}); never from a value on the
 * command line, which other users of the machine can read.
 */
final class AdminOptions {
    @Option(names = "--admin-secret-file", paramLabel = "FILE",
            description = "The server's admin secret, in a file only you can read (default: the file named by "
                    + "$TROUPE_ADMIN_SECRET_FILE, or the secret in $TROUPE_ADMIN_SECRET). Needed to create, destroy or"
                    + " list groups and channels on a server started with --admin-secret-file.")
    Path secretFile;

    /** Makes this process's calls to servers present the credential, if one is given. */
    void apply() {
        AdminCredential c = secretFile != null ? AdminCredential.fromFile(secretFile)
                : AdminCredential.fromEnvironment(System.getenv());
        AdminCredentialSender.useForThisProcess(c);
    }
}
