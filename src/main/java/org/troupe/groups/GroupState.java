package org.troupe.groups;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One group's membership and sequencer, free of CORBA: who is in, with which role, the current
 * view, each member's next message id, and the one sequence that orders messages and views.
 * Every method is called under the group's lock (the manager's), which also covers publishing
 * what it returns, so the channel sees events in sequence order.
 */
final class GroupState {

    /** A role of the descriptor; {@code max} is {@link Integer#MAX_VALUE} for "n". */
    record Role(String name, int min, int max) {
    }

    /** A current member. */
    static final class Member {
        final long id;
        final String name;
        final String role;
        final String token;
        final boolean volunteer;
        final String requestId;
        volatile long lastHeardNanos;
        long nextMessageId = 1;
        /**
         * The latest place in the order of this member's messages: the sequence id of its last
         * ordered message, or the {@code after} of its last unsequenced one. Its next unsequenced
         * message is delivered after this (FIFO per sender).
         */
        long point;

        Member(long id, String name, String role, String token, boolean volunteer, String requestId, long now) {
            this.id = id;
            this.name = name;
            this.role = role;
            this.token = token;
            this.volunteer = volunteer;
            this.requestId = requestId;
            this.lastHeardNanos = now;
        }
    }

    /**
     * A view: its id, the members in join order, whether every role's min is met, and the member
     * holding the sequencer (0: the manager).
     */
    record View(long id, List<Member> members, boolean complete, long sequencer) {
    }

    /** Names one published message. */
    record Ref(long source, long messageId) {
    }

    /**
     * A view change to publish: the messages still unordered, now ordered just before it (the
     * flush), the new view, its sequence id, who joined and who left (and why).
     */
    record ViewChange(List<Ordered> flushed, View view, long sequenceId, List<Member> joined, List<Member> crashed,
            List<Member> left) {
    }

    /** A message (as published: the servant's struct) and the sequence id it was given. */
    record Ordered(Ref ref, long sequenceId, Object message) {
    }

    /**
     * What a join produced: the member (new or, for a retried request, the earlier one), and the
     * view change (null for a retried request).
     */
    record Joined(Member member, ViewChange change, long viewSequenceId, View view) {
    }

    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<Long, Member> members = new LinkedHashMap<>();
    /**
     * How many departed members are remembered (their token, for an idempotent leave and a clear
     * NotMember; their next message id, for a late order of their messages; their join, for a
     * retried join): the oldest are forgotten, so a group with churn does not grow for ever.
     */
    static final int DEPARTED_REMEMBERED = 4096;

    /** A departed member: its token, its next message id, and the request id of its join. */
    private record Departed(String token, long nextMessageId, String requestId) {
    }

    /** The join of each current member, by request id (a retried join gets the same ticket). */
    private final Map<String, Joined> joinRequests = new HashMap<>();
    private final Map<String, Joined> departedJoins = bounded();
    private final Map<Long, Departed> departed = bounded();
    private final SecureRandom random = new SecureRandom();
    private long nextMemberId = 1;
    private long nextSequenceId = 1;
    private long viewsInstalled;
    private long messagesSequenced;
    private View view = new View(0, List.of(), false, 0);
    private long viewSequenceId;
    /** Messages published but not yet ordered (while a member holds the sequencer), in publish order. */
    private final Map<Ref, Object> unordered = new LinkedHashMap<>();
    /** When the member sequencer last ordered a message, or messages began to wait for it. */
    private long orderProgressNanos;
    // (the value is the message itself: its order names its destination and type)

    private static <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > DEPARTED_REMEMBERED;
            }
        };
    }

    /** Entries kept for departed members and their joins (bounded; for tests). */
    int departedRemembered() {
        return departed.size() + departedJoins.size();
    }

    GroupState(List<Role> roleList) {
        for (Role r : roleList) {
            roles.put(r.name(), r);
        }
    }

    Map<String, Role> roles() {
        return roles;
    }

    View view() {
        return view;
    }

    /** The sequence id of the current view's UpdateView. */
    long viewSequenceId() {
        return viewSequenceId;
    }

    /** The current member with this id, or null. */
    Member current(long id) {
        return members.get(id);
    }

    /**
     * Orders, now, every message of {@code source} still unordered, in publish order (FIFO): an
     * unsequenced message of that sender must come after them.
     */
    List<Ordered> orderPendingOf(long source) {
        List<Ordered> done = new ArrayList<>();
        if (unordered.isEmpty()) {
            return done;
        }
        for (java.util.Iterator<Map.Entry<Ref, Object>> it = unordered.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Ref, Object> e = it.next();
            if (e.getKey().source() == source) {
                it.remove();
                done.add(new Ordered(e.getKey(), sequence(), e.getValue()));
            }
        }
        return done;
    }

    long messagesSequenced() {
        return messagesSequenced;
    }

    long viewsInstalled() {
        return viewsInstalled;
    }

    /** The member with this id and token, or null. */
    Member member(long id, String token) {
        Member m = members.get(id);
        return m != null && m.token.equals(token) ? m : null;
    }

    boolean departedWith(long id, String token) {
        Departed d = departed.get(id);
        return d != null && token.equals(d.token());
    }

    /** A join request seen before (a retry), or null. */
    Joined earlierJoin(String requestId) {
        Joined j = joinRequests.get(requestId);
        return j != null ? j : departedJoins.get(requestId);
    }

    Member memberNamed(String name) {
        for (Member m : members.values()) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        return null;
    }

    int countInRole(String role) {
        int n = 0;
        for (Member m : members.values()) {
            if (m.role.equals(role)) {
                n++;
            }
        }
        return n;
    }

    /** Admits a member (the caller has checked role, capacity and name) and installs a new view. */
    Joined join(String requestId, String name, String role, boolean volunteer, long now) {
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        Member m = new Member(nextMemberId++, name, role, java.util.HexFormat.of().formatHex(secret), volunteer,
                requestId, now);
        members.put(m.id, m);
        ViewChange change = installView(List.of(m), List.of(), List.of());
        // a retry needs the ticket only: not the change, whose flush may hold payloads
        joinRequests.put(requestId, new Joined(m, null, change.sequenceId(), change.view()));
        return new Joined(m, change, change.sequenceId(), change.view());
    }

    /** Removes a member that left; returns the view change. */
    ViewChange leave(Member m) {
        depart(m);
        return installView(List.of(), List.of(), List.of(m));
    }

    private void depart(Member m) {
        members.remove(m.id);
        departed.put(m.id, new Departed(m.token, m.nextMessageId, m.requestId));
        Joined j = joinRequests.remove(m.requestId);
        if (j != null) {
            departedJoins.put(m.requestId, j);
        }
    }

    /**
     * Removes, as crashed, every member silent since {@code deadline} and every member in
     * {@code cutOff}; returns the view change, or null.
     */
    ViewChange expire(long deadlineNanos, java.util.Set<Long> cutOff) {
        List<Member> crashed = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.lastHeardNanos - deadlineNanos < 0 || cutOff.contains(m.id)) {
                crashed.add(m);
            }
        }
        if (crashed.isEmpty()) {
            return null;
        }
        for (Member m : crashed) {
            depart(m);
        }
        return installView(List.of(), crashed, List.of());
    }

    /** The next sequence id, for one message. */
    long sequence() {
        messagesSequenced++;
        return nextSequenceId++;
    }

    /** True while a member holds the sequencer: messages are published unordered. */
    boolean memberOrders() {
        return view.sequencer() != 0;
    }

    /** Records a message published unordered. */
    void addUnordered(Ref ref, Object message, long now) {
        if (unordered.isEmpty()) {
            orderProgressNanos = now;
        }
        unordered.put(ref, message);
    }

    /**
     * True if messages wait for a member sequencer that has ordered none of them since
     * {@code deadline}: it holds the group's total order up (its ORB alive, its sequencer not).
     */
    boolean sequencerStalledSince(long deadlineNanos) {
        return memberOrders() && !unordered.isEmpty() && orderProgressNanos - deadlineNanos < 0;
    }

    boolean isUnordered(Ref ref) {
        return unordered.containsKey(ref);
    }

    /** True if the message was published (it may be ordered already). */
    boolean published(Ref ref) {
        Member m = members.get(ref.source());
        Departed d = m == null ? departed.get(ref.source()) : null;
        long next = m != null ? m.nextMessageId : d != null ? d.nextMessageId() : 1L;
        return ref.messageId() >= 1 && ref.messageId() < next;
    }

    /** Orders one unordered message: removes it and returns it with its sequence id. */
    Ordered order(Ref ref, long now) {
        orderProgressNanos = now;
        Object message = unordered.remove(ref);
        return new Ordered(ref, sequence(), message);
    }



    private ViewChange installView(List<Member> joined, List<Member> crashed, List<Member> left) {
        List<Ordered> flushed = new ArrayList<>(unordered.size());
        for (Map.Entry<Ref, Object> e : unordered.entrySet()) { // publish order, which is FIFO per sender
            flushed.add(new Ordered(e.getKey(), sequence(), e.getValue()));
        }
        unordered.clear();
        boolean complete = true;
        for (Role r : roles.values()) {
            if (countInRole(r.name()) < r.min()) {
                complete = false;
            }
        }
        long sequencer = 0;
        for (Member m : members.values()) {
            if (m.volunteer) {
                sequencer = m.id; // the oldest volunteer
                break;
            }
        }
        view = new View(view.id() + 1, List.copyOf(members.values()), complete, sequencer);
        viewsInstalled++;
        viewSequenceId = nextSequenceId++;
        return new ViewChange(flushed, view, viewSequenceId, joined, crashed, left);
    }
}
