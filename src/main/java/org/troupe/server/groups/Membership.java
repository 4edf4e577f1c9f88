package org.troupe.server.groups;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is in a group, with which role, and the current view; what it remembers of departed
 * members (a bounded number) so that a retried join or leave is answered as the first one was.
 * Views are installed by {@link GroupCore}, which gives each its place in the total order.
 */
final class Membership {

    /** A role of the protocol; {@code max} is {@link Integer#MAX_VALUE} for "n". */
    record RoleLimit(String name, int min, int max) {
    }

    /** A current member and what the core keeps per member. */
    static final class Member {
        final long id;
        final String name;
        final String role;
        final String token;
        final boolean volunteer;
        final String requestId;
        /** The id its next new message must have (lower ids were applied already: a retry). */
        long nextMessageId = 1;
        /**
         * The latest place in the order of this member's messages: the sequence id of its last
         * ordered message, or the {@code after} of its last unsequenced one. Its next unsequenced
         * message is delivered after this (FIFO per sender).
         */
        long point;
        final MemberInfo info;

        Member(long id, String name, String role, String token, boolean volunteer, String requestId) {
            this.id = id;
            this.name = name;
            this.role = role;
            this.token = token;
            this.volunteer = volunteer;
            this.requestId = requestId;
            this.info = new MemberInfo(id, name, role);
        }
    }

    /** A join as a retry must see it again: the member, its view and that view's sequence id. */
    record Joined(Member member, Ticket ticket) {
    }

    /**
     * How many departed members are remembered (their token, for an idempotent leave and a clear
     * NotMember; their next message id, for a late order of their messages; their join, for a
     * retried join): the oldest are forgotten, so a group with churn does not grow for ever.
     */
    static final int DEPARTED_REMEMBERED = 4096;

    /** A departed member: its token and its next message id. */
    private record Departed(String token, long nextMessageId) {
    }

    private final Map<String, RoleLimit> roles = new LinkedHashMap<>();
    private final Map<Long, Member> members = new LinkedHashMap<>();
    private final Map<String, Joined> joinRequests = new HashMap<>();
    private final Map<String, Joined> departedJoins = bounded();
    private final Map<Long, Departed> departed = bounded();
    private long nextMemberId = 1;
    private View view = View.NONE;
    private long viewSequenceId;
    private long viewsInstalled;

    Membership(List<RoleLimit> roleList) {
        for (RoleLimit r : roleList) {
            roles.put(r.name(), r);
        }
    }

    private static <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > DEPARTED_REMEMBERED;
            }
        };
    }

    Map<String, RoleLimit> roles() {
        return roles;
    }

    View view() {
        return view;
    }

    long viewSequenceId() {
        return viewSequenceId;
    }

    long viewsInstalled() {
        return viewsInstalled;
    }

    /** Entries kept for departed members and their joins (bounded). */
    int departedRemembered() {
        return departed.size() + departedJoins.size();
    }

    /** The current member with this id, or null. */
    Member current(long id) {
        return members.get(id);
    }

    /** The current members, in join order. */
    Iterable<Member> members() {
        return members.values();
    }

    /** The member with this id and token (compared in constant time), or null. */
    Member proven(long id, String token) {
        Member m = members.get(id);
        return m != null && Admission.sameSecret(m.token, token) ? m : null;
    }

    /** True if a member with this id and token was in the group (and is remembered). */
    boolean departedWith(long id, String token) {
        Departed d = departed.get(id);
        return d != null && token != null && Admission.sameSecret(d.token(), token);
    }

    /** The id the next new message of member {@code id} (current or departed) would have. */
    long nextMessageId(long id) {
        Member m = members.get(id);
        if (m != null) {
            return m.nextMessageId;
        }
        Departed d = departed.get(id);
        return d != null ? d.nextMessageId() : 1L;
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

    /** Admits a member (the caller has checked role, capacity and name); its view comes next. */
    Member admit(String requestId, String name, String role, boolean volunteer, String token) {
        Member m = new Member(nextMemberId++, name, role, token, volunteer, requestId);
        members.put(m.id, m);
        return m;
    }

    /** Remembers a join's ticket for a retry of the same request. */
    void rememberJoin(Member m, Ticket ticket) {
        joinRequests.put(m.requestId, new Joined(m, ticket));
    }

    /** The member leaves the current members; what a retry needs of it is remembered. */
    void depart(Member m) {
        members.remove(m.id);
        departed.put(m.id, new Departed(m.token, m.nextMessageId));
        Joined j = joinRequests.remove(m.requestId);
        if (j != null) {
            departedJoins.put(m.requestId, j);
        }
    }

    /**
     * Installs the next view, at sequence id {@code sequenceId}: the current members, whether
     * every role's min is met, and the oldest volunteer as the sequencer (0: the server).
     */
    View install(long sequenceId) {
        boolean complete = true;
        for (RoleLimit r : roles.values()) {
            if (countInRole(r.name()) < r.min()) {
                complete = false;
            }
        }
        long sequencer = 0;
        List<MemberInfo> infos = new ArrayList<>(members.size());
        for (Member m : members.values()) {
            if (m.volunteer && sequencer == 0) {
                sequencer = m.id;
            }
            infos.add(m.info);
        }
        view = new View(view.id() + 1, infos, complete, sequencer);
        viewSequenceId = sequenceId;
        viewsInstalled++;
        return view;
    }

    // ---- snapshot: every field that a later command can observe, in a fixed order ------------

    void write(DataOutput out) throws IOException {
        out.writeLong(nextMemberId);
        out.writeLong(viewSequenceId);
        out.writeLong(viewsInstalled);
        Snapshots.writeView(out, view);
        out.writeInt(members.size());
        for (Member m : members.values()) {
            writeMember(out, m);
        }
        out.writeInt(departed.size());
        for (Map.Entry<Long, Departed> e : departed.entrySet()) {
            out.writeLong(e.getKey());
            out.writeUTF(e.getValue().token());
            out.writeLong(e.getValue().nextMessageId());
        }
        writeJoins(out, joinRequests);
        writeJoins(out, departedJoins);
    }

    void read(DataInput in) throws IOException {
        nextMemberId = in.readLong();
        viewSequenceId = in.readLong();
        viewsInstalled = in.readLong();
        view = Snapshots.readView(in);
        members.clear();
        for (int i = CommandCodec.count(in); i > 0; i--) {
            Member m = readMember(in);
            members.put(m.id, m);
        }
        departed.clear();
        for (int i = CommandCodec.count(in); i > 0; i--) {
            departed.put(in.readLong(), new Departed(in.readUTF(), in.readLong()));
        }
        readJoins(in, joinRequests);
        readJoins(in, departedJoins);
    }

    private static void writeMember(DataOutput out, Member m) throws IOException {
        out.writeLong(m.id);
        out.writeUTF(m.name);
        out.writeUTF(m.role);
        out.writeUTF(m.token);
        out.writeBoolean(m.volunteer);
        out.writeUTF(m.requestId);
        out.writeLong(m.nextMessageId);
        out.writeLong(m.point);
    }

    private static Member readMember(DataInput in) throws IOException {
        Member m = new Member(in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(), in.readBoolean(), in.readUTF());
        m.nextMessageId = in.readLong();
        m.point = in.readLong();
        return m;
    }

    private void writeJoins(DataOutput out, Map<String, Joined> joins) throws IOException {
        out.writeInt(joins.size());
        for (Joined j : joins.values()) {
            writeMember(out, j.member());
            Ticket t = j.ticket();
            Snapshots.writeView(out, t.view());
            out.writeLong(t.viewSequenceId());
            out.writeInt(t.turnPositions().length);
            for (int p : t.turnPositions()) {
                out.writeInt(p);
            }
        }
    }

    private void readJoins(DataInput in, Map<String, Joined> joins) throws IOException {
        joins.clear();
        for (int i = CommandCodec.count(in); i > 0; i--) {
            Member stored = readMember(in);
            Member m = members.getOrDefault(stored.id, stored); // a current member is one object
            View v = Snapshots.readView(in);
            long seq = in.readLong();
            int[] turns = new int[CommandCodec.count(in)];
            for (int k = 0; k < turns.length; k++) {
                turns[k] = in.readInt();
            }
            joins.put(m.requestId, new Joined(m, new Ticket(m.info, m.token, v, seq, turns, false)));
        }
    }
}
