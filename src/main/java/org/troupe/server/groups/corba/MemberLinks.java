package org.troupe.server.groups.corba;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.omg.CORBA.TRANSIENT;
import org.troupe.server.events.corba.ChannelServant;

/**
 * What each current member holds in its group's channel on this server: its consumer and its own
 * view of the channel (what its ticket hands out). A member's link goes when the member does, and
 * is let go of outside the group's lock; a member with no link here is not connected to this
 * server (it joined on another one that hosted the group before) and must resume first.
 */
final class MemberLinks {

    /** A member's consumer (what disconnects it, quietly) and its view of the channel. */
    record Link(Runnable consumer, ChannelServant.MemberChannel view) {
        void release() {
            if (consumer != null) {
                consumer.run();
            }
            if (view != null) {
                view.close().run();
            }
        }
    }

    private final String group;
    private final Map<Long, Link> links = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Link> released = new ConcurrentLinkedQueue<>();

    MemberLinks(String group) {
        this.group = group;
    }

    Link get(long member) {
        return links.get(member);
    }

    /** The member's link from now on; an earlier one (a member that resumed twice here) goes. */
    void put(long member, Link link) {
        Link old = links.put(member, link);
        if (old != null) {
            released.add(old);
        }
    }

    /** The member went: its link goes (at the next {@link #releaseDeparted}). */
    void depart(long member) {
        Link l = links.remove(member);
        if (l != null) {
            released.add(l);
        }
    }

    /** Every member's link goes (the group is destroyed, or no longer hosted here). */
    void departAll() {
        for (Long id : List.copyOf(links.keySet())) {
            depart(id);
        }
    }

    /** Disconnects departed members' consumers, quietly (a member learns from its view), outside the lock. */
    void releaseDeparted() {
        for (Link l; (l = released.poll()) != null;) {
            l.release();
        }
    }

    /** TRANSIENT unless the member is connected to this server. */
    void requireConnectedHere(long member) {
        if (!links.containsKey(member)) {
            // its ORB may have reached this server without a call failing: JacORB falls back from a
            // forwarded reference whose target is gone to the server it first named, which forwards here
            throw new TRANSIENT("Troupe: member " + member + " of group " + group + " has no consumer on the server"
                    + " that hosts the group now; resume");
        }
    }
}
