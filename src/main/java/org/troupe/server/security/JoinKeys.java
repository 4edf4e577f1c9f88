package org.troupe.server.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A group's join key is kept only as a salted, stretched hash: what the group's state holds (and
 * replicates, and snapshots) cannot be used to join. The hash is PBKDF2 with HMAC-SHA256, a
 * random 128-bit salt per group and {@value #ITERATIONS} iterations, written as
 * {@code pbkdf2-sha256:ITERATIONS:SALT:HASH} (Base64), so that a later version can raise the
 * count and still read it. A presented key is checked in constant time.
 */
public final class JoinKeys {
    /** Shortest and longest join key. */
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 1024;
    /**
     * Enough to slow a guess from a leaked hash, little enough that a join stays cheap (about
     * 2 ms of one core here): a key should be random anyway (head -c 24 /dev/urandom | base64).
     */
    static final int ITERATIONS = 4096;
    private static final String SCHEME = "pbkdf2-sha256";
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
        return SCHEME + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(derive(key, salt, ITERATIONS));
    }

    /** True if {@code presented} is the key {@code stored} (a {@link #hash}) was made from. */
    public static boolean matches(String stored, String presented) {
        if (stored == null || presented == null || presented.isEmpty() || presented.length() > MAX_LENGTH) {
            return false;
        }
        String[] parts = stored.split(":");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(presented, salt, iterations));
        } catch (IllegalArgumentException e) { // not a hash this version wrote
            return false;
        }
    }

    private static byte[] derive(String key, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(key.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
