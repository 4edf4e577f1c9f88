package org.troupe.member.corba;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.PortableServer.POA;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.NotMember;
import org.troupe.member.stack.RemovedFromGroup;

/**
 * Moves a member to the server that hosts its group now, after the one it used went away (in a
 * cluster, the group's leader changed): asks the group's manager on each server the member knows,
 * in turn, to resume it (a server that does not host the group forwards the call to the one that
 * does; one that does not answer within the member's suspect time is passed over), with a new
 * consumer that takes over from the old one at the highest sequence id the member received. The
 * member stays the same member: same id and token, no view change.
 */
final class ServerFailover {
    private static final Logger LOG = LoggerFactory.getLogger(ServerFailover.class);

    /** The group's manager on every server the member knows, in the order to try them. */
    @FunctionalInterface
    interface Locator {
        List<Candidate> managers();
    }

    /** The group's manager on one server ({@code server} names it: its corbaloc prefix). */
    record Candidate(String server, GroupManager manager) {
    }

    /** Where the member is now: its manager, its consumer (and that consumer's object id) and its ticket. */
    record Resumed(GroupManager manager, ChannelConsumer consumer, byte[] consumerId, JoinTicket ticket) {
    }

    private final String group;
    private final Locator locator;
    private final POA poa;
    /** Servers that did not answer a resume in time, and until when they are passed over (nanoTime). */
    private final Map<String, Long> unresponsive = new ConcurrentHashMap<>();

    ServerFailover(String group, Locator locator, POA poa) {
        this.group = group;
        this.locator = locator;
        this.poa = poa;
    }

    /**
     * Tries every known server once, but those that did not answer in time within the last
     * suspect time (a server that hangs would hold every attempt), unless none is left; null if
     * none took the member now (try again later).
     *
     * @throws RemovedFromGroup the group removed the member meanwhile, or cannot give it what it missed
     */
    Resumed resume(JoinTicket ticket, ChannelConsumer current, long received) {
        long suspect = Integer.toUnsignedLong(ticket.suspect_ms);
        long now = System.nanoTime();
        List<Candidate> all = locator.managers();
        List<Candidate> answering = all.stream().filter(c -> {
            Long until = unresponsive.get(c.server());
            return until == null || until - now < 0;
        }).toList();
        for (Candidate c : answering.isEmpty() ? all : answering) {
            GroupManager m = c.manager();
            ChannelConsumer next = current.successor();
            byte[] id = null;
            try {
                id = poa.activate_object(next);
                PushConsumer ref = PushConsumerHelper.narrow(poa.id_to_reference(id));
                JoinTicket t = timed(m, suspect).resume(ticket.member, ticket.token, ref, received, true);
                unresponsive.remove(c.server());
                LOG.info("group {}: member {} resumed on another server after sequence id {}", group, ticket.member,
                        received);
                return new Resumed(SizedManagerStub.of(m), next, id, t);
            } catch (NotMember e) {
                deactivate(id);
                throw new RemovedFromGroup("removed from group " + group + " while its server was away: " + e.reason);
            } catch (org.omg.CORBA.BAD_PARAM e) {
                deactivate(id);
                throw new RemovedFromGroup("group " + group + " cannot be resumed on another server: "
                        + e.getMessage());
            } catch (org.omg.CORBA.SystemException e) {
                LOG.debug("group {}: resume at {}: {}", group, c.server(), e.toString());
                if (e instanceof org.omg.CORBA.TIMEOUT) {
                    unresponsive.put(c.server(), System.nanoTime() + suspect * 1_000_000L);
                }
                deactivate(id);
            } catch (org.omg.PortableServer.POAPackage.ServantAlreadyActive
                    | org.omg.PortableServer.POAPackage.WrongPolicy
                    | org.omg.PortableServer.POAPackage.ObjectNotActive e) {
                throw new IllegalStateException("the member's POA refused a consumer: " + e, e);
            }
        }
        return null;
    }

    /**
     * The manager with calls that fail with TIMEOUT after {@code millis}: a server that hangs
     * (stopped, frozen) must not hold the member past the time the group's new leader waits for
     * it, while the next server could take it.
     */
    private static GroupManager timed(GroupManager m, long millis) {
        org.omg.CORBA.Policy p = new org.jacorb.orb.policies.RelativeRoundtripTimeoutPolicy(Math.max(1, millis)
                * 10_000L);
        return org.troupe.idl.Groups.GroupManagerHelper.unchecked_narrow(m._set_policy_override(
                new org.omg.CORBA.Policy[] {p}, org.omg.CORBA.SetOverrideType.ADD_OVERRIDE));
    }

    private void deactivate(byte[] id) {
        if (id != null) {
            try {
                poa.deactivate_object(id);
            } catch (Exception e) {
                LOG.debug("deactivate: {}", e.toString());
            }
        }
    }

    /** A locator of the managers at these corbaloc prefixes ({@code corbaloc:iiop:HOST:PORT}). */
    static Locator at(org.omg.CORBA.ORB orb, Supplier<List<String>> serverBases, String group) {
        return () -> serverBases.get().stream()
                .map(base -> new Candidate(base, org.troupe.idl.Groups.GroupManagerHelper.unchecked_narrow(
                        orb.string_to_object(base + "/" + org.troupe.orb.OrbFactory.IMPL_NAME + "/groups/" + group))))
                .toList();
    }
}
