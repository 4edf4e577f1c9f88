package org.troupe.orb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;

/**
 * The server's admin credential: a shared secret, read from a file that only its owner may read
 * (or, for a client, from the environment). Like HTTP Basic's password, it is a bearer secret: a
 * client presents it on every administrative call, and whoever sees it can use it. Over a
 * network it must travel inside TLS.
 *
 * <p>The secret never leaves this object except as the octets a client sends
 * ({@link #octets()}); {@link #toString()} does not show it; {@link #matches} compares in
 * constant time (a SHA-256 digest of each side, then {@link MessageDigest#isEqual}), so that
 * neither the time nor the length of a wrong guess tells anything about the secret.
 */
public final class AdminCredential {
    /** The environment variable naming a file that holds the secret (clients). */
    public static final String FILE_VARIABLE = "TROUPE_ADMIN_SECRET_FILE";
    /** The environment variable holding the secret itself (clients; the file is preferred). */
    public static final String SECRET_VARIABLE = "TROUPE_ADMIN_SECRET";
    /** A shorter secret is refused: it could be guessed. */
    public static final int MIN_LENGTH = 16;
    /** A longer file is not a secret file. */
    static final int MAX_LENGTH = 4096;

    private final byte[] secret;
    private final byte[] digest;
    private final String origin;

    private AdminCredential(byte[] secret, String origin) {
        this.secret = secret;
        this.digest = sha256(secret);
        this.origin = origin;
    }

    /**
     * The secret in {@code file}: its text without surrounding white space (a trailing newline is
     * not part of it), at least {@link #MIN_LENGTH} characters.
     *
     * @throws IllegalArgumentException the file is missing, empty, too short, or readable or
     *     writable by anyone but its owner (refused, not warned: a secret others can read is no
     *     secret); the message says which and how to fix it
     */
    public static AdminCredential fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("admin secret file " + file + " does not exist (or is not a file)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> others = java.util.EnumSet.of(PosixFilePermission.GROUP_READ,
                    PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE);
            others.retainAll(perms);
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("admin secret file " + file + " is accessible to others than its"
                        + " owner (" + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                        + "): refused; run chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its access control is the operator's to check
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read admin secret file " + file + ": " + e.getMessage(), e);
        }
        String text;
        try {
            if (Files.size(file) > MAX_LENGTH) {
                throw new IllegalArgumentException("admin secret file " + file + " holds more than " + MAX_LENGTH
                        + " octets: not a secret file");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read admin secret file " + file + ": " + e.getMessage(), e);
        }
        return of(text.strip(), "file " + file);
    }

    /**
     * A secret given as text (a client's {@code TROUPE_ADMIN_SECRET}, a test).
     *
     * @throws IllegalArgumentException shorter than {@link #MIN_LENGTH} characters
     */
    public static AdminCredential ofSecret(String secret) {
        return of(secret == null ? "" : secret.strip(), "a given secret");
    }

    private static AdminCredential of(String text, String origin) {
        if (text.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the admin secret in " + origin + " is " + (text.isEmpty() ? "empty"
                    : "shorter than " + MIN_LENGTH + " characters") + ": use a random one, e.g."
                    + " head -c 32 /dev/urandom | base64 > FILE; chmod 600 FILE");
        }
        return new AdminCredential(text.getBytes(StandardCharsets.UTF_8), origin);
    }

    /**
     * A client's credential from the environment: the file named by {@value #FILE_VARIABLE}, else
     * the secret in {@value #SECRET_VARIABLE}; null if neither is set.
     */
    public static AdminCredential fromEnvironment(Map<String, String> env) {
        String file = env.get(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file));
        }
        String secret = env.get(SECRET_VARIABLE);
        if (secret != null && !secret.isBlank()) {
            return of(secret.strip(), "the environment variable " + SECRET_VARIABLE);
        }
        return null;
    }

    /** True if {@code presented} is the secret; constant time in the secret's content and length. */
    public boolean matches(byte[] presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /**
     * True if an HTTP {@code Authorization} header value is {@code Bearer SECRET} with this
     * secret (the scheme's case ignored, per RFC 6750).
     */
    public boolean matchesBearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return matches(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    /** The octets a client presents (a copy). */
    public byte[] octets() {
        return secret.clone();
    }

    /** Where the secret came from (a file's path), never the secret. */
    @Override
    public String toString() {
        return "admin credential from " + origin;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
