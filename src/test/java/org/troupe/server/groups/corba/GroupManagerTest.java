package org.troupe.server.groups.corba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.troupe.eventclient.ChannelSubscriber;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.server.events.ChannelSettings;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.AlreadyMember;
import org.troupe.idl.Groups.BadMessage;
import org.troupe.idl.Groups.BadOrder;
import org.troupe.idl.Groups.ForgedSender;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupExists;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupsAdministrator;
import org.troupe.idl.Groups.GroupsAdministratorHelper;
import org.troupe.idl.Groups.InvalidDescriptor;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.LeaveKind;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.MessageTooLarge;
import org.troupe.idl.Groups.NotMember;
import org.troupe.idl.Groups.RoleFull;
import org.troupe.idl.Groups.RoleSpec;
import org.troupe.idl.Groups.SequenceMessage;
import org.troupe.idl.Groups.SequenceMessageListHelper;
import org.troupe.idl.Groups.TypeNotAllowed;
import org.troupe.idl.Groups.UNBOUNDED;
import org.troupe.idl.Groups.UnknownGroup;
import org.troupe.idl.Groups.UnknownRole;
import org.troupe.idl.Groups.UpdateView;
import org.troupe.idl.Groups.UpdateViewHelper;
import org.troupe.server.ServerSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.server.TroupeServer;

/**
 * The Groups Administrator and a Group Manager over IIOP, used through the plain IDL: membership
 * and views, the server-side sequencer, and every refusal the IDL promises.
 */
@Tag("integration")
class GroupManagerTest {
    private static final long SUSPECT_MS = 600;
    private static TroupeServer server;
    private static EventServiceClient client;
    private static GroupsAdministrator admin;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        server = TroupeServer.start(new ServerSettings("127.0.0.1", port, true, ChannelSettings.defaults(),
                new GroupSettings(100, SUSPECT_MS, 1000)));
        client = EventServiceClient.connect("127.0.0.1:" + port);
        admin = GroupsAdministratorHelper.narrow(
                client.orb().string_to_object("corbaloc:iiop:127.0.0.1:" + port + "/TroupeGroups"));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static GroupDescriptor classroom() {
        return new GroupDescriptor("tele-teaching", new RoleSpec[] {
            new RoleSpec("Teacher", 1, 1), new RoleSpec("Student", 1, UNBOUNDED.value)},
            new String[] {"Question", "Answer"}, new org.troupe.idl.Groups.PatternSpec[0], true);
    }

    private static Message message(long id, String type, byte[] payload) {
        return new Message(id, 0, new Address(AddressKind.TO_GROUP, "", 0), type, payload, true, new MessageRef(0, 0),
                false, 0);
    }

    /** Records a group channel's stream as lines: "seq:N msg S/I" and "view:V @seq N". */
    private static final class Watcher implements org.troupe.eventclient.EventListener {
        final List<String> stream = new CopyOnWriteArrayList<>();
        final Map<String, Message> pending = new ConcurrentHashMap<>();
        final List<UpdateView> views = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Any e) {
            String id = e.type().toString();
            try {
                id = e.type().id();
            } catch (org.omg.CORBA.TypeCodePackage.BadKind ignored) {
                // not a struct
            }
            if (id.equals(MessageHelper.id())) {
                Message m = MessageHelper.extract(e);
                pending.put(m.source + "/" + m.message_id, m);
            } else if (id.equals(MessageListHelper.id())) { // the Messages of one send call
                for (Message m : MessageListHelper.extract(e)) {
                    pending.put(m.source + "/" + m.message_id, m);
                }
            } else if (id.equals(SequenceMessageListHelper.id())) {
                for (SequenceMessage s : SequenceMessageListHelper.extract(e)) {
                    assertTrue(pending.containsKey(s.source + "/" + s.message_id), "message before its sequence number");
                    stream.add("seq:" + s.sequence_id + " msg " + s.source + "/" + s.message_id);
                }
            } else if (id.equals(UpdateViewHelper.id())) {
                UpdateView v = UpdateViewHelper.extract(e);
                views.add(v);
                stream.add("seq:" + v.sequence_id + " view " + v.view.view_id);
            }
        }

        boolean await(java.util.function.Predicate<Watcher> done) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!done.test(this)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }
    }

    @Test
    void membersSeeOneNumberedStreamWithViewsInIt() throws Exception {
        GroupManager g = admin.create_group("order", classroom());
        Watcher w1 = new Watcher();
        Watcher w2 = new Watcher();
        JoinTicket teacher = g.join("r-t", "Tess", "Teacher", null, false, false);
        ChannelSubscriber s1 = ChannelSubscriber.connect(client.rootPoa(), teacher.channel, w1);
        ChannelSubscriber s2 = ChannelSubscriber.connect(client.rootPoa(), teacher.channel, w2);
        JoinTicket ann = g.join("r-a", "Ann", "Student", null, false, false);
        assertTrue(ann.view.complete, "a Teacher and a Student: every role's min is met");
        JoinTicket bob = g.join("r-b", "Bob", "Student", null, false, false);
        assertEquals(3, bob.view.members.length);
        assertEquals(ann.view.view_id + 1, bob.view.view_id);

        int perSender = 300;
        List<Thread> senders = new ArrayList<>();
        for (JoinTicket t : List.of(teacher, ann, bob)) {
            Thread th = new Thread(() -> {
                try {
                    for (int i = 1; i <= perSender; i += 3) {
                        g.send(t.member, t.token, new Message[] {message(i, "Question", new byte[] {1}),
                            message(i + 1, "Answer", new byte[] {2}), message(i + 2, "Answer", new byte[0])});
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            senders.add(th);
            th.start();
        }
        for (Thread th : senders) {
            th.join(30_000);
        }
        g.leave(bob.member, bob.token);
        long total = 3L * perSender;
        assertTrue(w1.await(w -> w.stream.size() >= total + 3), "all delivered: " + w1.stream.size());
        assertTrue(w2.await(w -> w.stream.size() >= total + 3), "all delivered: " + w2.stream.size());
        assertEquals(w1.stream, w2.stream, "every watcher sees the same stream");
        long expect = ann.view_sequence_id; // the watchers connected before Ann joined
        Map<Long, Long> lastPerSender = new ConcurrentHashMap<>();
        for (String line : w1.stream) {
            long seq = Long.parseLong(line.substring(4, line.indexOf(' ')));
            assertEquals(expect++, seq, "sequence ids have no gaps: " + line);
            if (line.contains(" msg ")) {
                String[] sm = line.substring(line.indexOf("msg ") + 4).split("/");
                long src = Long.parseLong(sm[0]);
                long mid = Long.parseLong(sm[1]);
                assertEquals(lastPerSender.getOrDefault(src, 0L) + 1, mid, "FIFO per sender");
                lastPerSender.put(src, mid);
            }
        }
        UpdateView last = w1.views.get(w1.views.size() - 1);
        assertEquals(1, last.left.length);
        assertEquals(LeaveKind.LEFT, last.left[0].kind);
        assertEquals("Bob", last.left[0].member.name);
        s1.close();
        s2.close();
        admin.destroy_group("order");
    }

    @Test
    void joinAndLeaveAreIdempotentAndRetriedSendsAreNotSequencedTwice() throws Exception {
        GroupManager g = admin.create_group("retry", classroom());
        JoinTicket first = g.join("same-request", "Tess", "Teacher", null, false, false);
        JoinTicket again = g.join("same-request", "Tess", "Teacher", null, false, false);
        assertEquals(first.member, again.member);
        assertEquals(first.token, again.token);
        assertEquals(1, g.current_view().view_id, "joined once");
        Message[] batch = {message(1, "Question", new byte[] {1}), message(2, "Question", new byte[] {2})};
        g.send(first.member, first.token, batch);
        g.send(first.member, first.token, batch); // a retry after a lost reply
        assertEquals(2, g.info().messages_sequenced);
        g.send(first.member, first.token, new Message[] {message(3, "Question", new byte[0])});
        assertEquals(3, g.info().messages_sequenced);
        g.leave(first.member, first.token);
        g.leave(first.member, first.token); // again: nothing happens
        assertEquals(2, g.current_view().view_id);
        org.omg.CORBA.OBJECT_NOT_EXIST late = assertThrows(org.omg.CORBA.OBJECT_NOT_EXIST.class,
                () -> g.join("same-request", "Tess", "Teacher", null, false, false), "a retry after the leave");
        assertTrue(late.getMessage().contains("has left group retry"), late.getMessage());
        assertEquals(2, g.current_view().view_id, "not joined again");
        admin.destroy_group("retry");
    }

    @Test
    void aSilentMemberIsRemovedAsCrashedWithinTheBound() throws Exception {
        GroupManager g = admin.create_group("crash", classroom());
        Watcher w = new Watcher();
        JoinTicket alive = g.join("a", "Tess", "Teacher", null, false, false);
        ChannelSubscriber s = ChannelSubscriber.connect(client.rootPoa(), alive.channel, w);
        JoinTicket silent = g.join("s", "Sam", "Student", null, false, false);
        long joinedAt = System.nanoTime();
        Thread beats = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    g.heartbeat(alive.member, alive.token);
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (NotMember e) {
                throw new IllegalStateException(e);
            }
        });
        beats.start();
        try {
            assertTrue(w.await(x -> x.views.stream().anyMatch(v -> v.left.length == 1)), "a view without Sam");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinedAt);
            assertTrue(ms <= SUSPECT_MS + GroupSettings.REAPER_PERIOD_MS + 500, "removed after " + ms + " ms");
            UpdateView v = w.views.stream().filter(x -> x.left.length == 1).findFirst().orElseThrow();
            assertEquals(LeaveKind.CRASHED, v.left[0].kind);
            assertEquals("Sam", v.left[0].member.name);
            assertEquals(1, v.view.members.length);
            assertEquals("Tess", v.view.members[0].name);
            NotMember gone = assertThrows(NotMember.class, () -> g.heartbeat(silent.member, silent.token));
            assertTrue(gone.reason.contains("removed"), gone.reason);
        } finally {
            beats.interrupt();
            beats.join(5000);
            s.close();
            admin.destroy_group("crash");
        }
    }

    @Test
    void badInputGetsAClearExceptionAndTheGroupGoesOn() throws Exception {
        assertThrows(UnknownGroup.class, () -> admin.find_group("nowhere"));
        GroupManager g = admin.create_group("strict", classroom());
        assertThrows(GroupExists.class, () -> admin.create_group("strict", classroom()));
        InvalidDescriptor bad = assertThrows(InvalidDescriptor.class, () -> admin.create_group("bad",
                new GroupDescriptor("x", new RoleSpec[] {new RoleSpec("A", 3, 2)}, new String[] {"T"},
                new org.troupe.idl.Groups.PatternSpec[0], true)));
        assertTrue(bad.reason.contains("min 3 > max 2"), bad.reason);

        JoinTicket t = g.join("1", "Tess", "Teacher", null, false, false);
        assertThrows(AlreadyMember.class, () -> g.join("2", "Tess", "Student", null, false, false), "joining twice");
        RoleFull full = assertThrows(RoleFull.class, () -> g.join("3", "Tom", "Teacher", null, false, false));
        assertEquals(1, full.max);
        UnknownRole role = assertThrows(UnknownRole.class, () -> g.join("4", "Pat", "Principal", null, false, false));
        assertArrayEquals(new String[] {"Teacher", "Student"}, role.roles);

        TypeNotAllowed type = assertThrows(TypeNotAllowed.class,
                () -> g.send(t.member, t.token, new Message[] {message(1, "Gossip", new byte[0])}));
        assertEquals("Gossip", type.message_type);
        MessageTooLarge big = assertThrows(MessageTooLarge.class,
                () -> g.send(t.member, t.token, new Message[] {message(1, "Question", new byte[1001])}));
        assertEquals(1000, big.limit);
        Message forged = message(1, "Question", new byte[0]);
        JoinTicket other = g.join("5", "Ann", "Student", null, false, false);
        forged.source = other.member;
        ForgedSender f = assertThrows(ForgedSender.class, () -> g.send(t.member, t.token, new Message[] {forged}));
        assertEquals(other.member, f.claimed);
        assertThrows(NotMember.class, () -> g.send(t.member, "not-the-token", new Message[] {message(1, "Question",
                new byte[0])}), "a wrong token is not a member");
        BadMessage gap = assertThrows(BadMessage.class,
                () -> g.send(t.member, t.token, new Message[] {message(5, "Question", new byte[0])}));
        assertTrue(gap.reason.contains("expected"), gap.reason);
        assertEquals(0, g.info().messages_sequenced, "nothing of a refused send is sequenced");

        g.leave(other.member, other.token);
        NotMember after = assertThrows(NotMember.class,
                () -> g.send(other.member, other.token, new Message[] {message(1, "Answer", new byte[0])}));
        assertTrue(after.reason.contains("no longer"), after.reason);

        g.send(t.member, t.token, new Message[] {message(1, "Question", new byte[] {7})});
        assertEquals(1, g.info().messages_sequenced, "the group goes on");
        assertNotEquals(0, admin.list_groups().length);
        admin.destroy_group("strict");
        assertFalse(java.util.Arrays.stream(admin.list_groups()).anyMatch(i -> i.name.equals("strict")));
    }
    @Test
    void callsThatWouldHurtOthersAreRefusedAndTheGroupGoesOn() throws Exception {
        GroupManager g = admin.create_group("guarded", classroom());
        try {
            JoinTicket t = g.join("g1", "Tess", "Teacher", null, false, false);
            Watcher w = new Watcher();
            ChannelSubscriber s = ChannelSubscriber.connect(client.rootPoa(), t.channel, w);
            try {
                // a request id is one join: reused for another name or role it reveals nothing
                org.omg.CORBA.BAD_PARAM reused = assertThrows(org.omg.CORBA.BAD_PARAM.class,
                        () -> g.join("g1", "Eve", "Student", null, false, false));
                assertTrue(reused.getMessage().contains("request_id was used by an earlier join"),
                        reused.getMessage());
                assertEquals(1, g.current_view().members.length);

                // more messages in one call than a batch (or a member's queue) holds: one event that
                // large would cut every member off
                Message[] flood = new Message[ChannelSettings.MAX_BATCH + 1];
                for (int i = 0; i < flood.length; i++) {
                    flood[i] = message(i + 1, "Question", new byte[0]);
                }
                BadMessage tooMany = assertThrows(BadMessage.class, () -> g.send(t.member, t.token, flood));
                assertEquals(ChannelSettings.MAX_BATCH, tooMany.index);
                assertTrue(tooMany.reason.contains("at most " + ChannelSettings.MAX_BATCH), tooMany.reason);
                MessageRef[] orders = new MessageRef[ChannelSettings.MAX_BATCH + 1];
                java.util.Arrays.fill(orders, new MessageRef(t.member, 1));
                assertThrows(BadOrder.class, () -> g.order(t.member, t.token, orders));

                // a message that is not a response cannot name a query: members would count it as one
                Message posing = message(1, "Question", new byte[0]);
                posing.answers = new MessageRef(t.member, 1);
                BadMessage notAResponse = assertThrows(BadMessage.class,
                        () -> g.send(t.member, t.token, new Message[] {posing}));
                assertTrue(notAResponse.reason.contains("is not a response"), notAResponse.reason);

                assertEquals(0, g.info().messages_sequenced, "nothing of a refused call is sequenced");
                g.send(t.member, t.token, new Message[] {message(1, "Question", new byte[] {1})});
                assertTrue(w.await(x -> x.stream.contains("seq:2 msg " + t.member + "/1")), "the group goes on: "
                        + w.stream);
            } finally {
                s.close();
            }
        } finally {
            admin.destroy_group("guarded");
        }
    }

    @Test
    void aSequencerHolderThatOrdersNothingIsRemovedAndItsMessagesAreOrdered() throws Exception {
        GroupManager g = admin.create_group("stalled", classroom());
        // a volunteer that stays alive (heartbeats) but never orders: without a consumer it is not
        // even sent the messages it should order
        JoinTicket t = g.join("t", "Tess", "Teacher", null, false, false);
        JoinTicket idle = g.join("v", "Vic", "Student", null, true, false);
        assertEquals(idle.member, g.current_view().sequencer);
        Thread beats = new Thread(() -> {
            try {
                boolean vicIn = true;
                while (!Thread.currentThread().isInterrupted()) {
                    g.heartbeat(t.member, t.token);
                    if (vicIn) {
                        try {
                            g.heartbeat(idle.member, idle.token);
                        } catch (NotMember e) {
                            vicIn = false; // removed: what the test waits for
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (NotMember e) {
                throw new IllegalStateException("Tess was removed", e);
            }
        });
        beats.start();
        Watcher w = new Watcher();
        ChannelSubscriber s = ChannelSubscriber.connect(client.rootPoa(), t.channel, w);
        try {
            long sentAt = System.nanoTime();
            g.send(t.member, t.token, new Message[] {message(1, "Question", new byte[] {1})});
            assertTrue(w.await(x -> x.stream.stream().anyMatch(e -> e.endsWith("msg " + t.member + "/1"))),
                    "the message was never ordered: " + w.stream);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
            assertTrue(ms <= SUSPECT_MS + GroupSettings.REAPER_PERIOD_MS + 1000, "ordered after " + ms + " ms");
            assertTrue(w.await(x -> x.views.stream().anyMatch(v -> v.left.length == 1)), "a view without Vic: " + w.stream);
            UpdateView v = w.views.stream().filter(x -> x.left.length == 1).findFirst().orElseThrow();
            assertEquals("Vic", v.left[0].member.name);
            assertEquals(LeaveKind.CRASHED, v.left[0].kind);
            assertEquals(0, v.view.sequencer, "the manager orders again");
            g.send(t.member, t.token, new Message[] {message(2, "Question", new byte[] {2})});
            assertTrue(w.await(x -> x.stream.stream().anyMatch(e -> e.endsWith("msg " + t.member + "/2"))),
                    "the group goes on: " + w.stream);
        } finally {
            beats.interrupt();
            beats.join(5000);
            s.close();
            admin.destroy_group("stalled");
        }
    }

    /** A consumer whose first {@code _is_a} (the manager's check at connect) waits for the test. */
    private static final class SlowToConnect extends org.omg.CosEventComm.PushConsumerPOA {
        final java.util.concurrent.CountDownLatch connecting = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);

        @Override
        public boolean _is_a(String repositoryId) {
            connecting.countDown();
            try {
                proceed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super._is_a(repositoryId);
        }

        @Override
        public void push(Any data) {
            // not looked at
        }

        @Override
        public void disconnect_push_consumer() {
            // the test ends the group
        }
    }

    @Test
    void aRetriedJoinWhileTheFirstIsConnectingIsToldToRetryAndGetsTheSameTicket() throws Exception {
        GroupManager g = admin.create_group("racing", classroom());
        try {
            SlowToConnect slow = new SlowToConnect();
            org.omg.CosEventComm.PushConsumer ref = org.omg.CosEventComm.PushConsumerHelper.narrow(
                    client.rootPoa().id_to_reference(client.rootPoa().activate_object(slow)));
            java.util.concurrent.CompletableFuture<JoinTicket> first = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return g.join("once", "Tess", "Teacher", ref, false, false);
                        } catch (org.omg.CORBA.UserException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            assertTrue(slow.connecting.await(10, TimeUnit.SECONDS), "the first join never connected");
            // the retry (a lost reply, say) comes while the first call connects its consumer: a second
            // subscription would deliver every event twice
            org.omg.CORBA.TRANSIENT busy = assertThrows(org.omg.CORBA.TRANSIENT.class,
                    () -> g.join("once", "Tess", "Teacher", ref, false, false));
            assertTrue(busy.getMessage().contains("in progress"), busy.getMessage());
            slow.proceed.countDown();
            JoinTicket t = first.get(10, TimeUnit.SECONDS);
            JoinTicket again = g.join("once", "Tess", "Teacher", ref, false, false);
            assertEquals(t.member, again.member);
            assertEquals(t.token, again.token);
            assertEquals(1, g.current_view().members.length, "joined once");
        } finally {
            admin.destroy_group("racing");
        }
    }

    @Test
    void aResumeWhoseConsumerCannotBeReachedJustNowIsToldToRetryAndTheMemberStays() throws Exception {
        GroupManager g = admin.create_group("moving", classroom());
        try {
            JoinTicket t = g.join("m", "Tess", "Teacher", null, false, false);
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            // the member is calling, so it is alive; its call-back connection is what failed
            org.omg.CosEventComm.PushConsumer gone = org.omg.CosEventComm.PushConsumerHelper.unchecked_narrow(
                    client.orb().string_to_object("corbaloc:iiop:127.0.0.1:" + closed + "/consumer"));
            org.omg.CORBA.TRANSIENT retry = assertThrows(org.omg.CORBA.TRANSIENT.class,
                    () -> g.resume(t.member, t.token, gone, t.view_sequence_id, false));
            assertTrue(retry.getMessage().contains("could not be reached just now"), retry.getMessage());
            assertEquals(1, g.current_view().members.length, "still a member");

            Watcher w = new Watcher();
            org.omg.CosEventComm.PushConsumer live = org.omg.CosEventComm.PushConsumerHelper.narrow(
                    client.rootPoa().id_to_reference(client.rootPoa().activate_object(
                            new org.omg.CosEventComm.PushConsumerPOA() {
                                @Override
                                public void push(Any data) {
                                    w.onEvent(data);
                                }

                                @Override
                                public void disconnect_push_consumer() {
                                    // the test ends the group
                                }
                            })));
            JoinTicket resumed = g.resume(t.member, t.token, live, t.view_sequence_id, false);
            assertEquals(t.member, resumed.member);
            g.send(t.member, t.token, new Message[] {message(1, "Question", new byte[] {1})});
            assertTrue(w.await(x -> x.stream.stream().anyMatch(l -> l.endsWith("msg " + t.member + "/1"))),
                    "the resumed consumer receives the group: " + w.stream);

            // a reference that answers but is no consumer stays a final refusal
            org.omg.CosEventComm.PushConsumer notAConsumer = org.omg.CosEventComm.PushConsumerHelper
                    .unchecked_narrow(admin);
            assertThrows(org.omg.CORBA.BAD_PARAM.class,
                    () -> g.resume(t.member, t.token, notAConsumer, t.view_sequence_id, false));
        } finally {
            admin.destroy_group("moving");
        }
    }

    @Test
    void aResponseThatGoesToItsQuerierCannotBeAddressedElsewhere() throws Exception {
        org.troupe.idl.Groups.PatternSpec qa = new org.troupe.idl.Groups.PatternSpec(
                org.troupe.idl.Groups.PatternKind.QUERY_PATTERN, new org.troupe.idl.Groups.PatternStep[] {
                    new org.troupe.idl.Groups.PatternStep("Question", "Teacher", new String[0], 1, 1, "", 0, ""),
                    new org.troupe.idl.Groups.PatternStep("Answer", "Student", new String[0], 0, UNBOUNDED.value, "",
                            0, "Question")});
        GroupManager g = admin.create_group("private-answers", new GroupDescriptor("x", classroom().roles,
                classroom().message_types, new org.troupe.idl.Groups.PatternSpec[] {qa}, true));
        try {
            JoinTicket tess = g.join("t", "Tess", "Teacher", null, false, false);
            JoinTicket ann = g.join("a", "Ann", "Student", null, false, false);
            JoinTicket bob = g.join("b", "Bob", "Student", null, false, false);
            g.send(tess.member, tess.token, new Message[] {message(1, "Question", new byte[] {1})});
            for (Address elsewhere : new Address[] {new Address(AddressKind.TO_ROLE, "Student", 0),
                new Address(AddressKind.TO_MEMBER, "", bob.member)}) {
                Message answer = message(1, "Answer", new byte[] {2});
                answer.is_proactive = false;
                answer.answers = new MessageRef(tess.member, 1);
                answer.destination = elsewhere;
                BadMessage bad = assertThrows(BadMessage.class, () -> g.send(ann.member, ann.token,
                        new Message[] {answer}));
                assertTrue(bad.reason.contains("goes to the member whose query it answers"), bad.reason);
            }
            Message answer = message(1, "Answer", new byte[] {2});
            answer.is_proactive = false;
            answer.answers = new MessageRef(tess.member, 1);
            g.send(ann.member, ann.token, new Message[] {answer}); // to the group: narrowed to Tess
            Message second = message(1, "Answer", new byte[] {3});
            second.is_proactive = false;
            second.answers = new MessageRef(tess.member, 1);
            second.destination = new Address(AddressKind.TO_MEMBER, "", tess.member);
            g.send(bob.member, bob.token, new Message[] {second}); // to the querier itself
        } finally {
            admin.destroy_group("private-answers");
        }
    }

    /** A plain consumer that takes 200 ms per event: responsive, but far slower than the senders. */
    private static final class SlowConsumer extends org.omg.CosEventComm.PushConsumerPOA {
        @Override
        public void push(Any data) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void disconnect_push_consumer() {
            // the test ends the group
        }
    }

    @Test
    void aSilentMemberIsRemovedInTimeWhileFlowControlHoldsSendersBack() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ChannelSettings d = ChannelSettings.defaults();
        // a consumer that takes an event every 200 ms counts as keeping up (stall time 2 s): it
        // holds senders back for up to the flow time-out (1 s) per call
        ChannelSettings channels = new ChannelSettings(d.queueCapacity(), d.queuePolicy(), d.flowWatermark(), 2000,
                d.flowTimeoutMillis(), d.batchMax(), d.pullIntervalMaxMillis(), d.replyTimeoutMillis());
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong longestSendMs = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CountDownLatch heldBack = new java.util.concurrent.CountDownLatch(1);
        try (TroupeServer flowServer = TroupeServer.start(new ServerSettings("127.0.0.1", port, false, channels,
                new GroupSettings(100, SUSPECT_MS, 1000)))) {
            GroupsAdministrator flowAdmin = GroupsAdministratorHelper.narrow(
                    client.orb().string_to_object("corbaloc:iiop:127.0.0.1:" + port + "/TroupeGroups"));
            GroupManager g = flowAdmin.create_group("flowing", classroom());
            org.omg.CosEventComm.PushConsumer slow = org.omg.CosEventComm.PushConsumerHelper.narrow(
                    client.rootPoa().id_to_reference(client.rootPoa().activate_object(new SlowConsumer())));
            JoinTicket tess = g.join("t", "Tess", "Teacher", slow, false, false);
            List<JoinTicket> senders = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                senders.add(g.join("s" + i, "Sender" + i, "Student", null, false, false));
            }
            List<JoinTicket> alive = new ArrayList<>(senders);
            alive.add(tess);
            threads.add(new Thread(() -> { // everyone but Sam proves life, whatever flow control does
                try {
                    while (!stop.get()) {
                        for (JoinTicket t : alive) {
                            g.heartbeat(t.member, t.token);
                        }
                        Thread.sleep(100);
                    }
                } catch (InterruptedException | NotMember | org.omg.CORBA.SystemException e) {
                    // the test is over
                }
            }));
            for (JoinTicket t : senders) {
                threads.add(new Thread(() -> {
                    long id = 1;
                    try {
                        while (!stop.get()) {
                            Message[] batch = new Message[512];
                            for (int k = 0; k < batch.length; k++) {
                                batch[k] = message(id + k, "Question", new byte[1]);
                            }
                            long t0 = System.nanoTime();
                            g.send(t.member, t.token, batch);
                            if (longestSendMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                                    Math::max) >= 300) {
                                heldBack.countDown();
                            }
                            id += batch.length;
                        }
                    } catch (org.omg.CORBA.UserException | org.omg.CORBA.SystemException e) {
                        // the group is gone: the test is over
                    }
                }));
            }
            threads.forEach(Thread::start);
            assertTrue(heldBack.await(10, TimeUnit.SECONDS), "flow control never held a sender back ("
                    + longestSendMs.get() + " ms at most)");

            JoinTicket sam = g.join("sam", "Sam", "Student", null, false, false); // and never heard of again
            long joinedAt = System.nanoTime();
            while (java.util.Arrays.stream(g.current_view().members).anyMatch(m -> m.id == sam.member)) {
                assertTrue(System.nanoTime() - joinedAt < TimeUnit.SECONDS.toNanos(30), "Sam never removed");
                Thread.sleep(20);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinedAt);
            assertTrue(ms <= SUSPECT_MS + GroupSettings.REAPER_PERIOD_MS + 700, "removed after " + ms + " ms");
            assertEquals(7, g.current_view().members.length, "only Sam was removed");
            stop.set(true);
            flowAdmin.destroy_group("flowing");
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(5000);
            }
        }
    }

    @Test
    void aResponseTimeoutTooLongToCountIsAnInvalidDescriptor() throws Exception {
        org.troupe.idl.Groups.PatternSpec qa = new org.troupe.idl.Groups.PatternSpec(
                org.troupe.idl.Groups.PatternKind.QUERY_PATTERN, new org.troupe.idl.Groups.PatternStep[] {
                    new org.troupe.idl.Groups.PatternStep("Question", "Teacher", new String[0], 1, 1, "", 0, ""),
                    new org.troupe.idl.Groups.PatternStep("Answer", "Student", new String[0], 0, 1, "",
                            10_000_000_000_000L, "Question")});
        InvalidDescriptor bad = assertThrows(InvalidDescriptor.class, () -> admin.create_group("forever",
                new GroupDescriptor("x", classroom().roles, classroom().message_types,
                        new org.troupe.idl.Groups.PatternSpec[] {qa}, true)));
        assertTrue(bad.reason.contains("more than the longest allowed, 7 days"), bad.reason);
    }

    /** A plain CosEventComm push consumer (not Troupe's batch one): it sees what any CORBA client would. */
    private static final class PlainConsumer extends org.omg.CosEventComm.PushConsumerPOA {
        final java.util.concurrent.BlockingQueue<Any> events = new java.util.concurrent.LinkedBlockingQueue<>(1000);

        @Override
        public void push(Any data) {
            if (!events.offer(data)) {
                throw new org.omg.CORBA.NO_RESOURCES("test consumer full");
            }
        }

        @Override
        public void disconnect_push_consumer() {
            // the test ends the group
        }

        org.omg.CosEventComm.PushConsumer ref() throws Exception {
            return org.omg.CosEventComm.PushConsumerHelper.narrow(
                    client.rootPoa().id_to_reference(client.rootPoa().activate_object(this)));
        }

        /** The next event with this repository id, skipping others (views); fails after 20 s. */
        Any next(String id) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                Any e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertTrue(e != null, "no " + id + " event within 20 s");
                if (e.type().id().equals(id)) {
                    return e;
                }
            }
        }
    }

    private static Message to(long id, AddressKind kind, String role) {
        Message m = message(id, "Question", new byte[] {(byte) id});
        m.destination = new Address(kind, role, 0);
        return m;
    }

    @Test
    void aSendCallIsOneMessageListEventNarrowedToEachMembersMessages() throws Exception {
        GroupManager g = admin.create_group("lists", classroom());
        PlainConsumer teacherSees = new PlainConsumer();
        PlainConsumer studentSees = new PlainConsumer();
        PlainConsumer watcherSees = new PlainConsumer();
        JoinTicket tess = g.join("t", "Tess", "Teacher", teacherSees.ref(), false, false);
        JoinTicket ann = g.join("a", "Ann", "Student", studentSees.ref(), false, false);
        org.omg.CosEventChannelAdmin.ProxyPushSupplier watcher = tess.channel.for_consumers().obtain_push_supplier();
        // a CosEventComm consumer of its own, through Tess's ticket: it reads what Tess may read
        watcher.connect_push_consumer(watcherSees.ref());
        try {
            g.send(tess.member, tess.token, new Message[] {to(1, AddressKind.TO_ROLE, "Student"),
                to(2, AddressKind.TO_GROUP, ""), to(3, AddressKind.TO_ROLE, "Teacher")});

            Any all = watcherSees.next(MessageListHelper.id());
            assertEquals(org.omg.CORBA.TCKind.tk_alias, all.type().kind(), "MessageList: a typedef");
            assertEquals(org.omg.CORBA.TCKind.tk_sequence, all.type().content_type().kind(), "of a sequence<Message>");
            Message[] sent = MessageListHelper.extract(all);
            assertEquals(2, sent.length, "one event for the send call, narrowed to Tess's audience");
            for (int i = 0; i < 2; i++) {
                assertEquals(i + 2, sent[i].message_id, "in send order");
                assertEquals(tess.member, sent[i].source, "stamped by the server");
                assertTrue(sent[i].sequenced);
            }
            SequenceMessage[] order = SequenceMessageListHelper.extract(
                    watcherSees.next(SequenceMessageListHelper.id()));
            assertEquals(3, order.length, "the order of the three, after them");

            Message[] forAnn = MessageListHelper.extract(studentSees.next(MessageListHelper.id()));
            assertEquals(List.of(1L, 2L), List.of(forAnn[0].message_id, forAnn[1].message_id),
                    "the Student is sent the Messages for it, in order");
            assertEquals(2, forAnn.length);
            Message[] forTess = MessageListHelper.extract(teacherSees.next(MessageListHelper.id()));
            assertEquals(2, forTess.length);
            assertEquals(List.of(2L, 3L), List.of(forTess[0].message_id, forTess[1].message_id));
            assertEquals(3, SequenceMessageListHelper.extract(studentSees.next(SequenceMessageListHelper.id())).length,
                    "every order goes to everyone: a member skips the ids of what it is not sent");

            g.send(tess.member, tess.token, new Message[] {to(4, AddressKind.TO_ROLE, "Teacher")});
            Message alone = MessageHelper.extract(watcherSees.next(MessageHelper.id()));
            assertEquals(4, alone.message_id, "a send of one message is a plain Message event");
            assertEquals(4, MessageHelper.extract(teacherSees.next(MessageHelper.id())).message_id);
            g.send(tess.member, tess.token, new Message[] {to(5, AddressKind.TO_ROLE, "Teacher"),
                to(6, AddressKind.TO_ROLE, "Teacher")});
            g.send(tess.member, tess.token, new Message[] {to(7, AddressKind.TO_ROLE, "Teacher"),
                to(8, AddressKind.TO_ROLE, "Student")});
            Message[] next = MessageListHelper.extract(studentSees.next(MessageListHelper.id()));
            assertEquals(1, next.length, "the list of 5 and 6 was kept from the Student; 7 and 8 narrowed to 8");
            assertEquals(8, next[0].message_id);
        } finally {
            watcher.disconnect_push_supplier();
            g.leave(ann.member, ann.token);
            g.leave(tess.member, tess.token);
            admin.destroy_group("lists");
        }
    }

    @Test
    void aStudentsTicketChannelReadsOnlyTheStudentsAudience() throws Exception {
        GroupManager g = admin.create_group("audience", org.troupe.wire.Descriptors.toIdl(
                org.troupe.protocol.ProtocolLoader.loadBundled("tele-teaching"), true));
        PlainConsumer annSees = new PlainConsumer();
        PlainConsumer throughTicket = new PlainConsumer();
        JoinTicket tess = g.join("t", "Tess", "Teacher", null, false, false);
        JoinTicket ann = g.join("a", "Ann", "Student", annSees.ref(), false, false);
        JoinTicket bob = g.join("b", "Bob", "Student", null, false, false);
        // Ann's own CosEventComm consumers, push and pull, connected through her ticket's channel
        org.omg.CosEventChannelAdmin.ProxyPushSupplier push = ann.channel.for_consumers().obtain_push_supplier();
        push.connect_push_consumer(throughTicket.ref());
        org.omg.CosEventChannelAdmin.ProxyPullSupplier pull = ann.channel.for_consumers().obtain_pull_supplier();
        pull.connect_pull_consumer(null);
        try {
            g.send(tess.member, tess.token, new Message[] {message(1, "Question", utf8("2+2?"))});
            Message bobsAnswer = message(1, "Answer", utf8("four, from Bob"));
            bobsAnswer.is_proactive = false;
            bobsAnswer.answers = new MessageRef(tess.member, 1);
            g.send(bob.member, bob.token, new Message[] {bobsAnswer}); // for the Teacher only
            g.send(tess.member, tess.token, new Message[] {message(2, "Formula", utf8("e=mc2"))});

            for (PlainConsumer c : new PlainConsumer[] {annSees, throughTicket}) {
                assertEquals(1, MessageHelper.extract(c.next(MessageHelper.id())).message_id, "the Question");
                Message next = MessageHelper.extract(c.next(MessageHelper.id()));
                assertEquals("Formula", next.message_type, "the Formula, and Bob's Answer was not sent");
                assertEquals("e=mc2", new String(next.payload, java.nio.charset.StandardCharsets.UTF_8));
            }
            List<String> pulledTypes = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!pulledTypes.contains("Formula") && System.nanoTime() < deadline) {
                org.omg.CORBA.BooleanHolder has = new org.omg.CORBA.BooleanHolder();
                Any e = pull.try_pull(has);
                if (!has.value) {
                    Thread.sleep(20);
                } else if (e.type().id().equals(MessageHelper.id())) {
                    pulledTypes.add(MessageHelper.extract(e).message_type);
                }
            }
            assertEquals(List.of("Question", "Formula"), pulledTypes, "a pull consumer reads Ann's audience too");
        } finally {
            push.disconnect_push_supplier();
            pull.disconnect_pull_supplier();
            admin.destroy_group("audience");
        }
    }

    @Test
    void aSequencerVolunteerIsSentReferencesForOrderingNotPayloadsOutsideItsAudience() throws Exception {
        GroupManager g = admin.create_group("volunteer", org.troupe.wire.Descriptors.toIdl(
                org.troupe.protocol.ProtocolLoader.loadBundled("tele-teaching"), true));
        PlainConsumer annSees = new PlainConsumer();
        PlainConsumer throughTicket = new PlainConsumer();
        JoinTicket tess = g.join("t", "Tess", "Teacher", null, false, false);
        JoinTicket ann = g.join("a", "Ann", "Student", annSees.ref(), true, false);
        JoinTicket bob = g.join("b", "Bob", "Student", null, false, false);
        org.omg.CosEventChannelAdmin.ProxyPushSupplier push = ann.channel.for_consumers().obtain_push_supplier();
        push.connect_push_consumer(throughTicket.ref());
        try {
            assertEquals(ann.member, g.current_view().sequencer, "Ann holds the sequencer");
            Message forBob = message(1, "Question", utf8("for Bob only"));
            forBob.destination = new Address(AddressKind.TO_MEMBER, "", bob.member);
            g.send(tess.member, tess.token, new Message[] {forBob});
            g.send(tess.member, tess.token, new Message[] {message(2, "Formula", utf8("for every Student"))});

            Message ref = MessageHelper.extract(annSees.next(MessageHelper.id()));
            assertEquals(1, ref.message_id);
            assertEquals(tess.member, ref.source);
            assertEquals(bob.member, ref.destination.member, "its address, to skip its order");
            assertEquals("Question", ref.message_type);
            assertEquals(0, ref.payload.length, "a reference for ordering: no payload");
            Message formula = MessageHelper.extract(annSees.next(MessageHelper.id()));
            assertEquals("for every Student", new String(formula.payload, java.nio.charset.StandardCharsets.UTF_8));
            // Ann orders both from what she was sent; the order reaches everyone
            g.order(ann.member, ann.token, new MessageRef[] {new MessageRef(ref.source, ref.message_id),
                new MessageRef(formula.source, formula.message_id)});
            SequenceMessage[] order = SequenceMessageListHelper.extract(annSees.next(SequenceMessageListHelper.id()));
            assertEquals(2, order.length);
            assertEquals(bob.member, order[0].destination.member);
            // her ticket's channel reads her audience only: the Formula, no reference
            assertEquals("Formula", MessageHelper.extract(throughTicket.next(MessageHelper.id())).message_type);
        } finally {
            push.disconnect_push_supplier();
            admin.destroy_group("volunteer");
        }
    }

    @Test
    void aReplayedJoinRequestFromAnotherClientIsRefusedAndAnHonestRetryGetsItsTicket() throws Exception {
        GroupManager g = admin.create_group("replay", classroom());
        try {
            PlainConsumer victim = new PlainConsumer();
            org.omg.CosEventComm.PushConsumer victimRef = victim.ref();
            JoinTicket first = g.join("seen-on-the-wire", "Tess", "Teacher", victimRef, false, false);
            // an honest retry (a lost reply): the same consumer, at once
            JoinTicket again = g.join("seen-on-the-wire", "Tess", "Teacher", victimRef, false, false);
            assertEquals(first.member, again.member);
            assertEquals(first.token, again.token);
            // another client replays the request id with the public name and role
            org.omg.CosEventComm.PushConsumer attacker = new PlainConsumer().ref();
            org.omg.CORBA.NO_PERMISSION other = assertThrows(org.omg.CORBA.NO_PERMISSION.class,
                    () -> g.join("seen-on-the-wire", "Tess", "Teacher", attacker, false, false));
            assertTrue(other.getMessage().endsWith("Troupe: join: this request_id was used by a join of group replay"
                    + " with another consumer: a retried join must give the same consumer reference as the first; a new"
                    + " join needs a new request_id"), other.getMessage()); // after JacORB's "Server-side Exception: "
            assertThrows(org.omg.CORBA.NO_PERMISSION.class,
                    () -> g.join("seen-on-the-wire", "Tess", "Teacher", null, false, false), "nor without a consumer");
            assertEquals(1, g.current_view().members.length, "joined once");
            g.send(first.member, first.token, new Message[] {message(1, "Question", new byte[] {1})}); // still Tess's
        } finally {
            admin.destroy_group("replay");
        }
    }

    @Test
    void namesThatWouldForgeALogLineOrAListingAreRefusedWithTheRule() throws Exception {
        String groupRule = org.troupe.protocol.Names.GROUP_RULE;
        String textRule = org.troupe.protocol.Names.TEXT_RULE;
        // create: a group name with a newline, an ANSI escape, too long
        Map<String, String> groups = Map.of(
                "math\nGROUP x created", "the group name 'math\\u000aGROUP x created' is refused: it holds the character"
                        + " U+000A; " + groupRule,
                "\u001b[31mred", "the group name '\\u001b[31mred' is refused: it holds the character U+001B; " + groupRule,
                "g".repeat(59), "the group name '" + "g".repeat(59) + "' is refused: it is longer than 58 characters; "
                        + groupRule);
        for (Map.Entry<String, String> bad : groups.entrySet()) {
            InvalidDescriptor e = assertThrows(InvalidDescriptor.class, () -> admin.create_group(bad.getKey(),
                    classroom()));
            assertEquals(bad.getValue(), e.reason);
            org.omg.CORBA.BAD_PARAM find = assertThrows(org.omg.CORBA.BAD_PARAM.class,
                    () -> admin.find_group(bad.getKey()));
            assertTrue(find.getMessage().endsWith("Troupe: find_group: " + bad.getValue()), find.getMessage());
            assertThrows(org.omg.CORBA.BAD_PARAM.class, () -> admin.destroy_group(bad.getKey()));
        }
        // create: a role of the descriptor
        GroupDescriptor d = classroom();
        d.roles[1] = new RoleSpec("Student\n[admin]", 1, UNBOUNDED.value);
        assertEquals("the role name 'Student\\u000a[admin]' is refused: it holds the character U+000A (control, format"
                + " or unassigned characters are not allowed); a role name is 1-256 characters of " + textRule,
                assertThrows(InvalidDescriptor.class, () -> admin.create_group("bad-role", d)).reason);
        // join: the member's name, and the role
        GroupManager g = admin.create_group("names", classroom());
        try {
            Map<String, String> members = Map.of(
                    "ann\nGROUP names: eve joined", "the member name 'ann\\u000aGROUP names: eve joined' is refused: it"
                            + " holds the character U+000A (control, format or unassigned characters are not allowed); a"
                            + " member name is 1-64 characters of " + textRule,
                    "\u001b[2Jann", "the member name '\\u001b[2Jann' is refused: it holds the character U+001B (control,"
                            + " format or unassigned characters are not allowed); a member name is 1-64 characters of "
                            + textRule,
                    "a".repeat(65), "the member name '" + "a".repeat(65) + "' is refused: it is longer than 64"
                            + " characters; a member name is 1-64 characters of " + textRule);
            for (Map.Entry<String, String> bad : members.entrySet()) {
                org.omg.CORBA.BAD_PARAM e = assertThrows(org.omg.CORBA.BAD_PARAM.class,
                        () -> g.join("n-" + bad.getKey().length(), bad.getKey(), "Student", null, false, false));
                assertTrue(e.getMessage().endsWith("Troupe: " + bad.getValue()), e.getMessage());
            }
            org.omg.CORBA.BAD_PARAM role = assertThrows(org.omg.CORBA.BAD_PARAM.class,
                    () -> g.join("r", "Ann", "Student\u001b[0m", null, false, false));
            assertTrue(role.getMessage().endsWith("Troupe: the role name 'Student\\u001b[0m' is refused: it holds the"
                    + " character U+001B (control, format or unassigned characters are not allowed); a role name is"
                    + " 1-256 characters of " + textRule), role.getMessage());
            assertEquals(0, g.current_view().members.length, "nobody joined");
            JoinTicket ok = g.join("ok", "member:9 Zoë 学生", "Student", null, false, false);
            assertEquals("member:9 Zoë 学生", g.current_view().members[0].name, "Unicode text is a name");
            g.leave(ok.member, ok.token);
        } finally {
            admin.destroy_group("names");
        }
        // channel create (and find, destroy)
        Map<String, String> channels = Map.of(
                "prices\nchannel x created", "the channel name 'prices\\u000achannel x created' is refused: it holds the"
                        + " character U+000A; " + org.troupe.protocol.Names.CHANNEL_RULE,
                "\u001b[31mred", "the channel name '\\u001b[31mred' is refused: it holds the character U+001B; "
                        + org.troupe.protocol.Names.CHANNEL_RULE,
                "c".repeat(65), "the channel name '" + "c".repeat(65) + "' is refused: it is longer than 64 characters; "
                        + org.troupe.protocol.Names.CHANNEL_RULE);
        for (Map.Entry<String, String> bad : channels.entrySet()) {
            org.troupe.idl.Events.InvalidName e = assertThrows(org.troupe.idl.Events.InvalidName.class,
                    () -> client.factory().create_channel(bad.getKey()));
            assertEquals(bad.getValue(), e.reason);
            assertFalse(e.name.contains("\n") || e.name.contains("\u001b"), "the name comes back escaped: " + e.name);
            org.omg.CORBA.BAD_PARAM find = assertThrows(org.omg.CORBA.BAD_PARAM.class,
                    () -> client.factory().find_channel(bad.getKey()));
            assertTrue(find.getMessage().endsWith("Troupe: find_channel: " + bad.getValue()), find.getMessage());
            assertThrows(org.omg.CORBA.BAD_PARAM.class, () -> client.factory().destroy_channel(bad.getKey()));
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aMemberThatKeepsItsOwnCopiesIsSentOnlyTheOrderOfItsSequencedMessages() throws Exception {
        GroupManager g = admin.create_group("copies", classroom());
        PlainConsumer keeper = new PlainConsumer();
        PlainConsumer plain = new PlainConsumer();
        JoinTicket tess = g.join("t", "Tess", "Teacher", keeper.ref(), false, true);
        JoinTicket ann = g.join("a", "Ann", "Student", plain.ref(), false, false);
        try {
            g.send(tess.member, tess.token, new Message[] {to(1, AddressKind.TO_GROUP, ""),
                to(2, AddressKind.TO_GROUP, "")});
            g.send(ann.member, ann.token, new Message[] {to(1, AddressKind.TO_GROUP, "")});
            // Tess's first event with messages is Ann's: her own two were not sent back, their order was
            SequenceMessage[] order = SequenceMessageListHelper.extract(keeper.next(SequenceMessageListHelper.id()));
            assertEquals(List.of(1L, 2L), List.of(order[0].message_id, order[1].message_id));
            Message first = MessageHelper.extract(keeper.next(MessageHelper.id()));
            assertEquals(ann.member, first.source, "the first Message Tess is sent is Ann's");
            // Ann (keeps_own FALSE) is sent Tess's list and then her own Message
            assertEquals(2, MessageListHelper.extract(plain.next(MessageListHelper.id())).length);
            assertEquals(ann.member, MessageHelper.extract(plain.next(MessageHelper.id())).source);
        } finally {
            g.leave(ann.member, ann.token);
            g.leave(tess.member, tess.token);
            admin.destroy_group("copies");
        }
    }
}
