package org.troupe.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A group's join key is kept only as a salted hash: what the group's state holds (and replicates,
 * and snapshots) cannot be given as the key. The hash is SHA-256 of a random 128-bit salt (one per
 * group) followed by the key's UTF-8 octets, written as {@code sha256:SALT:HASH} (Base64), the
 * scheme first so that a later version can change it. A presented key is checked in constant time
 * ({@link MessageDigest#isEqual}), in well under a millisecond: a join, refused or not, stays cheap.
 *
 * <p>It is not stretched (PBKDF2 with 4096 iterations cost about 18 ms of a core per check on a
 * busy 2-core machine, against 0.2 ms for this: a flood of wrong keys would have turned into load): a join key should be random, e.g.
 * {@code head -c 24 /dev/urandom | base64}, and then a hash cannot be reversed by guessing. Whoever
 * reads a server's Raft log or memory could guess a weak key offline; they could read far more there.
 */
public final class JoinKeys {
    /** Shortest and longest join key. */
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 1024;
    private static final String SCHEME = "sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private JoinKeys() {
    }

    /** Why {@code key} cannot be a join key, or null if it can. */
    public static String problem(String key) {
        if (key == null || key.length() < MIN_LENGTH || key.length() > MAX_LENGTH) {
            return "a join key has " + MIN_LENGTH + "-" + MAX_LENGTH + " characters";
        }
        return null;
    }

    /** The salted hash of {@code key} to keep in a group's state. */
    public static String hash(String key) {
        String problem = problem(key);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(digest(salt, key));
    }

    /** True if {@code presented} is the key {@code stored} (a {@link #hash}) was made from. */
    public static boolean matches(String stored, String presented) {
        if (stored == null || presented == null || presented.isEmpty() || presented.length() > MAX_LENGTH) {
            return false;
        }
        String[] parts = stored.split(":");
        if (parts.length != 3 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] expected = Base64.getDecoder().decode(parts[2]);
            return MessageDigest.isEqual(expected, digest(salt, presented));
        } catch (IllegalArgumentException e) { // not a hash this version wrote
            return false;
        }
    }

    private static byte[] digest(byte[] salt, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
