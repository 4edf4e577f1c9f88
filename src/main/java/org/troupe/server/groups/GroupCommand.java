package org.troupe.server.groups;

import java.util.List;

/**
 * What changes a group: one command is applied at a time, in one order, by {@link GroupCore}. A
 * command carries everything the core needs, the time and the new member's token included, so
 * that two cores given the same commands in the same order end in the same state and produce
 * the same events: what a cluster relies on to replicate a group.
 */
public sealed interface GroupCommand {

    /** When the command was issued, on the group's clock (nanoseconds). */
    long now();

    /**
     * Joins {@code name} in {@code role}. {@code requestId} makes it idempotent: a retry gets the
     * first join's ticket. {@code token} is the secret the new member will prove itself with
     * (chosen at random by whoever issues the command; ignored for a retry).
     */
    record Join(String requestId, String name, String role, boolean volunteer, String token, long now)
            implements GroupCommand {
        /** Without the token or the request id (which returns the ticket): secrets are never logged. */
        @Override
        public String toString() {
            return "Join[name=" + name + ", role=" + role + ", volunteer=" + volunteer + ", now=" + now + "]";
        }
    }

    /** The member leaves; leaving again with the same token does nothing. */
    record Leave(long member, String token, long now) implements GroupCommand {
        /** Without the token. */
        @Override
        public String toString() {
            return "Leave[member=" + member + ", now=" + now + "]";
        }
    }

    /** The member sends these messages, in order: all or none. */
    record Send(long member, String token, List<Envelope> messages, long now) implements GroupCommand {
        public Send {
            messages = List.copyOf(messages);
        }

        /** Without the token. */
        @Override
        public String toString() {
            return "Send[member=" + member + ", messages=" + messages.size() + ", now=" + now + "]";
        }
    }

    /** The sequencer holder orders these published messages, in this order. */
    record Order(long member, String token, List<Ref> refs, long now) implements GroupCommand {
        public Order {
            refs = List.copyOf(refs);
        }

        /** Without the token. */
        @Override
        public String toString() {
            return "Order[member=" + member + ", refs=" + refs + ", now=" + now + "]";
        }
    }

    /**
     * The liveness decision: these members are removed as crashed, each with its reason (members
     * no longer in the group are skipped). Open queries past their time-out are closed too.
     */
    record Remove(List<Removal> removals, long now) implements GroupCommand {
        public Remove {
            removals = List.copyOf(removals);
        }
    }

    /**
     * The client of a hosted member (an IDL client whose member stack runs in a server) has been
     * given everything its member delivered up to sequence id {@code sequenceId}: where another
     * server resumes that member if its server dies. Publishes nothing. For a push member,
     * {@code pusher} names the claim ({@link Pusher}) of the server whose callback calls returned:
     * refused unless that claim is still the current one, and, accepted, it renews the pusher's
     * lease (empty for a pull member).
     */
    record Delivered(long member, String token, long sequenceId, String pusher, long now) implements GroupCommand {
        public Delivered {
            pusher = pusher == null ? "" : pusher;
        }

        /** A pull client's position (no pusher). */
        public Delivered(long member, String token, long sequenceId, long now) {
            this(member, token, sequenceId, "", now);
        }

        /** Without the token. */
        @Override
        public String toString() {
            return "Delivered[member=" + member + ", sequenceId=" + sequenceId
                    + (pusher.isEmpty() ? "" : ", pusher=" + pusher) + "]";
        }
    }

    /**
     * Server {@code pusher} (an id unique to this claim: the server's id, '/', a random part) is
     * from now on the one that calls the callback {@code callback} (a stringified IOR) of push
     * member {@code member}. With {@code expectedVersion} -1 the claim is unconditional (the
     * server that hosts the member at its join); otherwise it is refused unless the member's push
     * record is still at that version, i.e. no other claim and no renewal of the current pusher's
     * lease was applied since the claimer looked (see {@code pushVersion}).
     */
    record Pusher(long member, String token, String callback, String pusher, long expectedVersion, long now)
            implements GroupCommand {
        /** Without the token. */
        @Override
        public String toString() {
            return "Pusher[member=" + member + ", pusher=" + pusher + ", expectedVersion=" + expectedVersion + "]";
        }
    }

    /** A member to remove as crashed, and why (for the log). */
    record Removal(long member, String reason) {
    }
}
