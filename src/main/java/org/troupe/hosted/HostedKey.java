package org.troupe.hosted;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The object id of a hosted member, the same on every server of a cluster: {@code
 * GROUP/MEMBER/PROOF}, where PROOF is 128 bits of HMAC-SHA256 keyed by the member's secret join
 * token over {@code GROUP/MEMBER}. Any server that holds a copy of the group (and so the token)
 * can check a key and take the member over; nobody without the reference can make one up, and
 * the token itself never leaves the servers. The group and the member id say where to look, the
 * proof that the caller was given the reference.
 */
public record HostedKey(String group, long member, String proof) {
    private static final int PROOF_HEX = 32;

    public HostedKey {
        if (group == null || group.isEmpty() || group.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a hosted member's group name is 1 or more characters without '/'");
        }
        if (member < 1) {
            throw new IllegalArgumentException("a member id is 1 or more, not " + member);
        }
        if (proof == null || proof.length() != PROOF_HEX || !proof.chars().allMatch(HostedKey::lowerHex)) {
            throw new IllegalArgumentException("a hosted member's proof is " + PROOF_HEX + " lower-case hex digits");
        }
    }

    /** The key of member {@code member} of {@code group} whose join token is {@code token}. */
    public static HostedKey of(String group, long member, String token) {
        return new HostedKey(group, member, proofOf(group, member, token));
    }

    /**
     * Parses an object id made by {@link #id()}.
     *
     * @throws IllegalArgumentException with what is wrong with it
     */
    public static HostedKey parse(String id) {
        if (id == null) {
            throw new IllegalArgumentException("no hosted member key");
        }
        int last = id.lastIndexOf('/');
        int middle = last <= 0 ? -1 : id.lastIndexOf('/', last - 1);
        if (middle <= 0) {
            throw new IllegalArgumentException("a hosted member key is GROUP/MEMBER/PROOF, not '" + shortened(id)
                    + "'");
        }
        long member;
        String digits = id.substring(middle + 1, last);
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(Character::isDigit)
                || digits.charAt(0) == '0') {
            throw new IllegalArgumentException("a hosted member key's member id is a positive decimal, not '"
                    + shortened(digits) + "'");
        }
        member = Long.parseLong(digits);
        return new HostedKey(id.substring(0, middle), member, id.substring(last + 1));
    }

    /** The object id: {@code GROUP/MEMBER/PROOF}. */
    public String id() {
        return group + "/" + member + "/" + proof;
    }

    /** True if {@code token} is the join token of the member this key names (constant time). */
    public boolean provenBy(String token) {
        if (token == null) {
            return false;
        }
        return MessageDigest.isEqual(proof.getBytes(StandardCharsets.US_ASCII),
                proofOf(group, member, token).getBytes(StandardCharsets.US_ASCII));
    }

    private static String proofOf(String group, long member, String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal((group + "/" + member).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, PROOF_HEX / 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static boolean lowerHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
    }

    private static String shortened(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    @Override
    public String toString() {
        return "hosted member " + member + " of group " + group; // never the proof
    }
}
