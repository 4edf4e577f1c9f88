package org.troupe.groups;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.cdr.FastAny;
import org.troupe.events.EventChannelCore;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.AlreadyMember;
import org.troupe.idl.Groups.BadMessage;
import org.troupe.idl.Groups.ForgedSender;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.GroupManagerPOA;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.JoinGroup;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.LeaveGroup;
import org.troupe.idl.Groups.LeaveKind;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageTooLarge;
import org.troupe.idl.Groups.NotMember;
import org.troupe.idl.Groups.RoleFull;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.SequenceMessageHelper;
import org.troupe.idl.Groups.TypeNotAllowed;
import org.troupe.idl.Groups.UnknownRole;
import org.troupe.idl.Groups.UpdateView;
import org.troupe.idl.Groups.UpdateViewHelper;

/**
 * One group's Group Manager, with the group's sequencer beside it (the default placement). Every
 * change and every message is checked, stamped and numbered under one lock, and published into
 * the group's channel under the same lock, so the channel carries messages and views in sequence
 * order. A member proves itself with the token of its join ticket on every call.
 */
final class GroupManagerServant extends GroupManagerPOA {
    private static final Logger LOG = LoggerFactory.getLogger(GroupManagerServant.class);
    private static final int MAX_NAME = 256;

    private final String name;
    private final GroupDescriptor descriptor;
    private final Set<String> types;
    private final GroupSettings settings;
    private final ORB orb;
    private final EventChannelCore channelCore;
    private final EventChannel channel;
    private final GroupState state;
    private final ReentrantLock lock = new ReentrantLock();

    GroupManagerServant(String name, GroupDescriptor descriptor, GroupSettings settings, ORB orb,
            EventChannelCore channelCore, EventChannel channel) {
        this.name = name;
        this.descriptor = descriptor;
        this.types = Set.of(descriptor.message_types);
        this.settings = settings;
        this.orb = orb;
        this.channelCore = channelCore;
        this.channel = channel;
        List<GroupState.Role> roles = new ArrayList<>();
        for (org.troupe.idl.Groups.RoleSpec r : descriptor.roles) {
            roles.add(new GroupState.Role(r.name, r.min, r.max == org.troupe.idl.Groups.UNBOUNDED.value
                    ? Integer.MAX_VALUE : r.max));
        }
        this.state = new GroupState(roles);
    }

    @Override
    public String group_name() {
        return name;
    }

    @Override
    public JoinTicket join(String requestId, String memberName, String role)
            throws UnknownRole, RoleFull, AlreadyMember {
        requireText(requestId, "request_id");
        requireText(memberName, "name");
        lock.lock();
        try {
            GroupState.Joined earlier = state.earlierJoin(requestId);
            if (earlier != null) { // a retried request: the same ticket, nothing applied twice
                return ticket(earlier);
            }
            GroupState.Role r = state.roles().get(role);
            if (r == null) {
                throw new UnknownRole(role, state.roles().keySet().toArray(new String[0]));
            }
            GroupState.Member same = state.memberNamed(memberName);
            if (same != null) {
                throw new AlreadyMember(memberName, same.id);
            }
            if (state.countInRole(role) >= r.max()) {
                throw new RoleFull(role, r.max());
            }
            GroupState.Joined j = state.join(requestId, memberName, role, System.nanoTime());
            publish(updateView(j.change()));
            LOG.info("group {}: {} joined as {} (member {}); view {}", name, memberName, role, j.member().id,
                    j.view().id());
            return ticket(j);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The member proven by {@code token}, or NotMember: "member N {@code whenDeparted}" for a
     * member that was in the group, else a message that says the id or token is wrong.
     */
    private GroupState.Member requireMember(long member, String token, String whenDeparted) throws NotMember {
        GroupState.Member m = token == null ? null : state.member(member, token);
        if (m == null) {
            throw new NotMember(member, token != null && state.departedWith(member, token)
                    ? "member " + member + " " + whenDeparted
                    : "not a member of group " + name + " (unknown member id or wrong token)");
        }
        return m;
    }

    private JoinTicket ticket(GroupState.Joined j) {
        return new JoinTicket(j.member().id, j.member().token, channel, toIdl(j.view()), j.viewSequenceId(),
                (int) settings.heartbeatMillis(), (int) settings.suspectMillis());
    }

    @Override
    public void leave(long member, String token) throws NotMember {
        lock.lock();
        try {
            GroupState.Member m = state.member(member, token);
            if (m == null) {
                if (token != null && state.departedWith(member, token)) {
                    return; // a retried leave, or a member already removed: nothing to do
                }
                throw new NotMember(member, "no member " + member + " with this token in group " + name);
            }
            publish(updateView(state.leave(m)));
            LOG.info("group {}: {} (member {}) left", name, m.name, m.id);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long heartbeat(long member, String token) throws NotMember {
        lock.lock();
        try {
            GroupState.Member m = requireMember(member, token, "was removed from group " + name
                    + " (left, or silent too long)");
            m.lastHeardNanos = System.nanoTime();
            return state.view().id();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(long member, String token, Message[] messages)
            throws NotMember, ForgedSender, TypeNotAllowed, MessageTooLarge, org.troupe.idl.Groups.BadMessage {
        lock.lock();
        try {
            GroupState.Member m = requireMember(member, token, "is no longer in group " + name + ": it cannot send");
            m.lastHeardNanos = System.nanoTime(); // sending proves life too
            for (int i = 0; i < messages.length; i++) {
                Message msg = messages[i];
                if (msg.source != 0 && msg.source != member) {
                    throw new ForgedSender(msg.source, member);
                }
                if (!types.contains(msg.message_type)) {
                    throw new TypeNotAllowed(msg.message_type, descriptor.message_types);
                }
                if (msg.payload.length > settings.maxPayload()) {
                    throw new MessageTooLarge(msg.payload.length, settings.maxPayload());
                }
                if (msg.destination.kind == AddressKind.TO_ROLE && !state.roles().containsKey(msg.destination.role)) {
                    throw new BadMessage(i, "destination role '" + msg.destination.role + "' is not a role of group "
                            + name);
                }
                if (msg.message_id <= 0) {
                    throw new BadMessage(i, "message_id must be at least 1");
                }
                if (i > 0 && msg.message_id != messages[0].message_id + i) {
                    throw new BadMessage(i, "message ids in one send must be consecutive");
                }
            }
            long expected = m.nextMessageId;
            if (messages.length > 0 && messages[0].message_id > expected) {
                throw new BadMessage(0, "message_id " + messages[0].message_id + " but " + expected
                        + " was expected: message ids go 1, 2, 3 ... per sender");
            }
            // ids below the expected one were sequenced already (a retried send): skipped, not applied twice
            int first = messages.length == 0 ? 0 : (int) Math.min(messages.length, expected - messages[0].message_id);
            List<Any> events = new ArrayList<>(2 * (messages.length - first));
            for (int i = first; i < messages.length; i++) {
                Message msg = messages[i];
                msg.source = member; // stamped: a member cannot send as another
                long seq = state.sequence();
                events.add(any(msg));
                events.add(sequenceAny(new SequenceMessage(msg.message_id, member, seq)));
            }
            m.nextMessageId = expected + (messages.length - first);
            if (first > 0) {
                LOG.debug("group {}: member {} re-sent {} sequenced messages; skipped", name, member, first);
            }
            publish(events.toArray(new Any[0]));
        } finally {
            lock.unlock();
        }
    }

    /** Removes members silent longer than the suspect time; called by the reaper. */
    void expire() {
        lock.lock();
        try {
            GroupState.ViewChange change = state.expire(System.nanoTime() - settings.suspectMillis() * 1_000_000L);
            if (change != null) {
                for (GroupState.Member m : change.crashed()) {
                    LOG.warn("group {}: {} (member {}) removed: silent for more than {} ms", name, m.name, m.id,
                            settings.suspectMillis());
                }
                publish(updateView(change));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public GroupView current_view() {
        lock.lock();
        try {
            return toIdl(state.view());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public GroupInfo info() {
        lock.lock();
        try {
            return new GroupInfo(name, descriptor, toIdl(state.view()), state.messagesSequenced(),
                    state.viewsInstalled());
        } finally {
            lock.unlock();
        }
    }

    private Any[] updateView(GroupState.ViewChange c) {
        List<JoinGroup> joined = new ArrayList<>();
        for (GroupState.Member m : c.joined()) {
            joined.add(new JoinGroup(info(m)));
        }
        List<LeaveGroup> left = new ArrayList<>();
        for (GroupState.Member m : c.left()) {
            left.add(new LeaveGroup(info(m), LeaveKind.LEFT));
        }
        for (GroupState.Member m : c.crashed()) {
            left.add(new LeaveGroup(info(m), LeaveKind.CRASHED));
        }
        Any a = FastAny.create(orb);
        UpdateViewHelper.insert(a, new UpdateView(c.sequenceId(), toIdl(c.view()), joined.toArray(new JoinGroup[0]),
                left.toArray(new LeaveGroup[0])));
        return new Any[] {a};
    }

    private Any any(Message m) {
        Any a = FastAny.create(orb);
        MessageHelper.insert(a, m);
        return a;
    }

    private Any sequenceAny(SequenceMessage s) {
        Any a = FastAny.create(orb);
        SequenceMessageHelper.insert(a, s);
        return a;
    }

    private void publish(Any[] events) {
        try {
            channelCore.publish(events, events.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.omg.CORBA.TRANSIENT("Troupe: server shutting down");
        }
    }

    private static MemberInfo info(GroupState.Member m) {
        return new MemberInfo(m.id, m.name, m.role);
    }

    private static GroupView toIdl(GroupState.View v) {
        MemberInfo[] members = new MemberInfo[v.members().size()];
        for (int i = 0; i < members.length; i++) {
            members[i] = info(v.members().get(i));
        }
        return new GroupView(v.id(), members, v.complete());
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isEmpty() || s.length() > MAX_NAME) {
            throw new org.omg.CORBA.BAD_PARAM("Troupe: " + what + " must be 1-" + MAX_NAME + " characters");
        }
    }
}
