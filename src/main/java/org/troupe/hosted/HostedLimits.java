package org.troupe.hosted;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.troupe.idl.Hosted.MemberCallback;

/**
 * The caps on hosted members: at most {@code max} on the server and {@code perClient} per client
 * at once (each costs the server a member connection, about 7 threads and a bounded outbox). A
 * client is the host its callback's reference names; members without a callback (clients that
 * pull) count toward the server's cap only. Members that are out (left, removed) no longer count.
 * A {@code host_member} past a cap raises IMP_LIMIT, before anything is joined.
 */
final class HostedLimits {
    /** A member that is out no longer counts. */
    interface Member {
        boolean isOut();
    }

    private final int max;
    private final int perClient;
    /** Member key -> its client (absent: no callback). */
    private final Map<String, String> clientOf = new ConcurrentHashMap<>();
    /** Joins admitted and not yet settled, per client ("" for none). */
    private final Map<String, Integer> pending = new HashMap<>();
    private int pendingTotal;

    HostedLimits(int max, int perClient) {
        this.max = max;
        this.perClient = perClient;
    }

    /** The client a callback belongs to: the host its reference names; null without a callback. */
    static String clientOf(MemberCallback callback) {
        if (callback instanceof org.omg.CORBA.portable.ObjectImpl o
                && o._get_delegate() instanceof org.jacorb.orb.Delegate d) {
            for (org.omg.ETF.Profile p : d.getParsedIOR().getProfiles()) {
                if (p instanceof org.jacorb.orb.iiop.IIOPProfile iiop
                        && iiop.getAddress() instanceof org.jacorb.orb.iiop.IIOPAddress a) {
                    return a.getHostName();
                }
            }
        }
        return callback == null ? null : "(unknown)";
    }

    /**
     * Takes a place for one more member of {@code client} (null: none), or raises IMP_LIMIT.
     * Each place taken is settled by {@link #settle} once the join ended, however it ended.
     */
    synchronized void admit(String client, Map<String, ? extends Member> members) {
        long active = members.values().stream().filter(m -> !m.isOut()).count() + pendingTotal;
        if (active >= max) {
            throw new org.omg.CORBA.IMP_LIMIT("Troupe: this server already hosts " + max
                    + " members, its limit (--max-hosted); try again later or join directly");
        }
        if (client != null) {
            long mine = members.entrySet().stream()
                    .filter(e -> !e.getValue().isOut() && client.equals(clientOf.get(e.getKey()))).count()
                    + pending.getOrDefault(client, 0);
            if (mine >= perClient) {
                throw new org.omg.CORBA.IMP_LIMIT("Troupe: client " + client + " already has " + perClient
                        + " hosted members, the limit per client (--max-hosted-per-client)");
            }
        }
        pending.merge(client == null ? "" : client, 1, Integer::sum);
        pendingTotal++;
    }

    /** The join admitted for {@code client} ended: as member {@code key}, or refused (null). */
    synchronized void settle(String client, String key) {
        String k = client == null ? "" : client;
        if (pending.merge(k, -1, Integer::sum) <= 0) {
            pending.remove(k);
        }
        pendingTotal--;
        if (key != null && client != null) {
            clientOf.put(key, client);
        }
    }

    /** Member {@code key} was disposed. */
    void forget(String key) {
        clientOf.remove(key);
    }
}
