package org.troupe.server.groups.corba;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.omg.CORBA.NO_PERMISSION;
import org.omg.CORBA.ORB;

/**
 * A retried join is answered to the client that made it, and to no one else. A join's
 * {@code request_id} makes it idempotent: a retry (after a lost reply) gets the same ticket,
 * token included. Whoever learns a request id must not get that ticket by replaying it with the
 * group's public name and role, so a retry is answered only if it comes within {@link #WINDOW_MILLIS}
 * of the join and gives the same consumer reference (the same IOR, compared by its SHA-256 digest;
 * a join with a nil consumer matches only another nil one, so only the window protects it).
 * Otherwise it is refused (NO_PERMISSION) and the caller learns nothing of the ticket.
 *
 * <p>What this protects, on cleartext IIOP: a request id that leaked or was guessed, by a client
 * that did not see the join itself (it does not know the consumer's IOR), and any replay after
 * the window. What only TLS protects: an eavesdropper on the join sees its request id, its
 * consumer's IOR and, in the reply, the token itself.
 *
 * <p>Bounded: at most {@link #MAX_REMEMBERED} joins, each forgotten once its window has passed.
 * One per group manager, on the server that took the join (a retry that reaches another server
 * of a cluster finds no consumer of the member there and is refused, as before).
 */
final class JoinReplays {
    /** How long after a join a retry of it may still get its ticket. */
    static final long WINDOW_MILLIS = 30_000;
    /** The most joins remembered at once (the oldest go first). */
    static final int MAX_REMEMBERED = 4096;

    private record Requester(long member, byte[] consumer, long atNanos) {
    }

    private final ORB orb;
    private final String group;
    private final Map<String, Requester> joins = new LinkedHashMap<>();

    JoinReplays(ORB orb, String group) {
        this.orb = orb;
        this.group = group;
    }

    /** Who gives {@code consumer}: what {@link #remember} keeps (computed before, outside the group's lock). */
    byte[] requester(org.omg.CORBA.Object consumer) {
        return digest(consumer);
    }

    /**
     * Remembers who made the join {@code requestId} that admitted {@code member}, at
     * {@code nowNanos}: {@code requester} is what {@link #requester} made of its consumer.
     */
    synchronized void remember(String requestId, long member, byte[] requester, long nowNanos) {
        forgetExpired(nowNanos);
        if (joins.size() >= MAX_REMEMBERED) {
            Iterator<String> oldest = joins.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        joins.put(requestId, new Requester(member, requester, nowNanos));
    }

    /**
     * Returns normally if a retry of join {@code requestId} (which admitted {@code member}) by a
     * caller giving {@code consumer} may have its ticket; raises NO_PERMISSION, saying why, if not.
     */
    void checkRetry(String requestId, long member, org.omg.CORBA.Object consumer, long nowNanos) {
        byte[] given = digest(consumer);
        Requester r;
        synchronized (this) {
            forgetExpired(nowNanos);
            r = joins.get(requestId);
        }
        if (r == null || r.member() != member) {
            throw new NO_PERMISSION("Troupe: join: this request_id was used by a join of group " + group
                    + " more than " + WINDOW_MILLIS / 1000 + " s ago (or on another server): a retried join gets its"
                    + " ticket only within " + WINDOW_MILLIS / 1000 + " s, from the same consumer; a new join needs a"
                    + " new request_id");
        }
        boolean same = r.consumer() == null ? given == null : given != null && MessageDigest.isEqual(r.consumer(), given);
        if (!same) {
            throw new NO_PERMISSION("Troupe: join: this request_id was used by a join of group " + group
                    + " with another consumer: a retried join must give the same consumer reference as the first;"
                    + " a new join needs a new request_id");
        }
    }

    /** Forgets the joins of a member that went. */
    synchronized void forget(long member) {
        joins.values().removeIf(r -> r.member() == member);
    }

    private void forgetExpired(long nowNanos) {
        long window = WINDOW_MILLIS * 1_000_000L;
        for (Iterator<Requester> it = joins.values().iterator(); it.hasNext();) {
            if (nowNanos - it.next().atNanos() <= window) {
                return; // insertion order is time order: the rest are younger
            }
            it.remove();
        }
    }

    private byte[] digest(org.omg.CORBA.Object consumer) {
        if (consumer == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(
                    orb.object_to_string(consumer).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
