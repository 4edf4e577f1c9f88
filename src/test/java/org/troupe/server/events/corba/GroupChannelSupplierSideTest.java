package org.troupe.server.events.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.omg.CORBA.NO_PERMISSION;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPullSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.omg.CosEventChannelAdmin.SupplierAdmin;
import org.troupe.eventclient.ChannelSubscriber;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupsAdministrator;
import org.troupe.idl.Groups.GroupsAdministratorHelper;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.RoleSpec;
import org.troupe.idl.Groups.UNBOUNDED;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * A group's channel over IIOP, through the plain IDL from a client ORB: its supplier side is
 * closed (a member or an ex-member holding {@code JoinTicket.channel} cannot connect a supplier
 * and push forged messages past {@code GroupManager::send}), its consumer side stays open, and a
 * public channel still takes suppliers.
 */
@Tag("integration")
class GroupChannelSupplierSideTest {
    private static TroupeServer server;
    private static EventServiceClient client;
    private static GroupsAdministrator admin;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // members here do not heartbeat: a suspect time no slow machine reaches within the test
        server = TroupeServer.start(new ServerSettings("127.0.0.1", port, true, ChannelSettings.defaults(),
                new GroupSettings(100, 60_000, 4096)));
        client = EventServiceClient.connect("127.0.0.1:" + port);
        admin = GroupsAdministratorHelper.narrow(
                client.orb().string_to_object("corbaloc:iiop:127.0.0.1:" + port + "/TroupeGroups"));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static GroupDescriptor chat() {
        return new GroupDescriptor("chat", new RoleSpec[] {new RoleSpec("Member", 1, UNBOUNDED.value)},
                new String[] {"Text"}, new org.troupe.idl.Groups.PatternSpec[0], true);
    }

    private static void assertRefused(String group, org.junit.jupiter.api.function.Executable call) {
        NO_PERMISSION e = assertThrows(NO_PERMISSION.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains("group channel group." + group)
                && e.getMessage().contains("only through GroupManager::send"), "message: " + e.getMessage());
    }

    /** One "Text" message to the group: message id {@code id} of {@code source}. */
    private static Message[] text(long id, long source) {
        return new Message[] {new Message(id, source, new Address(AddressKind.TO_GROUP, "", 0), "Text",
            new byte[] {(byte) id}, true, new MessageRef(0, 0), false, 0)};
    }

    /** The source of the first Message in a group channel event, or -1 if it carries none. */
    private static long firstSource(Any e) {
        String id;
        try {
            id = e.type().id();
        } catch (org.omg.CORBA.TypeCodePackage.BadKind notAStruct) {
            return -1;
        }
        if (id.equals(MessageHelper.id())) {
            return MessageHelper.extract(e).source;
        }
        if (id.equals(MessageListHelper.id())) {
            Message[] list = MessageListHelper.extract(e);
            return list.length == 0 ? -1 : list[0].source;
        }
        return -1;
    }

    @Test
    void aMemberCannotConnectASupplierAndAnExMemberCanNeitherWriteNorRead() throws Exception {
        String name = "no-forgery";
        GroupManager g = admin.create_group(name, chat());
        JoinTicket ann = g.join("r-ann", "Ann", "Member", null, false, false);
        JoinTicket bob = g.join("r-bob", "Bob", "Member", null, false, false);
        EventChannel ch = ann.channel;

        SupplierAdmin suppliers = ch.for_suppliers();
        assertNotNull(suppliers, "for_suppliers still answers: the channel stays a standard EventChannel");
        assertRefused(name, suppliers::obtain_push_consumer);
        assertRefused(name, suppliers::obtain_pull_consumer);

        // the consumer side stays open (the C++ watcher connects its own consumer this way)
        BlockingQueue<Long> sources = new ArrayBlockingQueue<>(100);
        java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
        ChannelSubscriber sub = ChannelSubscriber.connect(client.rootPoa(), ch, new org.troupe.eventclient.EventListener() {
            @Override
            public void onEvent(Any e) {
                long s = firstSource(e);
                if (s >= 0) {
                    sources.add(s);
                }
            }

            @Override
            public void onDisconnected() {
                told.countDown();
            }
        });
        try {
            g.send(bob.member, bob.token, text(1, bob.member));
            assertEquals(Long.valueOf(bob.member), sources.poll(10, TimeUnit.SECONDS), "Bob's message, stamped by the server");

            // the ticket's channel is Ann's own view of the group's channel: Bob's is another object
            assertFalse(ch._is_equivalent(bob.channel), "each member has its own view of the channel");

            // an ex-member who kept the reference can neither write nor read: the view is gone, and
            // the consumer connected through it is disconnected, and told
            g.leave(ann.member, ann.token);
            assertThrows(org.omg.CORBA.OBJECT_NOT_EXIST.class, ch::for_suppliers);
            assertThrows(org.omg.CORBA.OBJECT_NOT_EXIST.class, ch::for_consumers);
            assertTrue(told.await(10, TimeUnit.SECONDS), "the ex-member's consumer was not disconnected");
            assertTrue(sub.disconnected());
            sources.clear();
            g.send(bob.member, bob.token, text(2, bob.member));
            assertEquals(null, sources.poll(500, TimeUnit.MILLISECONDS), "an ex-member still reads the group");

            // Bob's view still works
            BlockingQueue<Long> bobSees = new ArrayBlockingQueue<>(100);
            ChannelSubscriber bobSub = ChannelSubscriber.connect(client.rootPoa(), bob.channel, e -> {
                long s = firstSource(e);
                if (s >= 0) {
                    bobSees.add(s);
                }
            });
            try {
                g.send(bob.member, bob.token, text(3, bob.member));
                assertEquals(Long.valueOf(bob.member), bobSees.poll(10, TimeUnit.SECONDS));
            } finally {
                bobSub.close();
            }
        } finally {
            sub.close();
            admin.destroy_group(name);
        }
    }

    private static String objectKey(org.omg.CORBA.Object ref) {
        org.jacorb.orb.Delegate d = (org.jacorb.orb.Delegate) ((org.omg.CORBA.portable.ObjectImpl) ref)._get_delegate();
        return new String(d.getObjectKey(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void proxyAndViewObjectKeysCannotBeGuessedFromOneAnother() throws Exception {
        String name = "unguessable";
        GroupManager g = admin.create_group(name, chat());
        try {
            JoinTicket ann = g.join("r-ann", "Ann", "Member", null, false, false);
            JoinTicket bob = g.join("r-bob", "Bob", "Member", null, false, false);
            String first = objectKey(ann.channel.for_consumers().obtain_push_supplier());
            String second = objectKey(ann.channel.for_consumers().obtain_push_supplier());
            // a holder of one proxy, or of its own view, must not be able to compute another's key
            // (and so disconnect someone else's consumer): each key carries 64 random bits
            java.util.regex.Pattern tail = java.util.regex.Pattern.compile(".*\\d\\.([0-9a-f]{16})$");
            java.util.regex.Matcher a = tail.matcher(first);
            java.util.regex.Matcher b = tail.matcher(second);
            assertTrue(a.matches() && b.matches(), first + " / " + second);
            assertFalse(a.group(1).equals(b.group(1)));
            String annView = objectKey(ann.channel);
            String bobView = objectKey(bob.channel);
            assertTrue(annView.matches(".*M\\.[0-9a-f]{16}$"), annView);
            assertFalse(annView.equals(bobView));
        } finally {
            admin.destroy_group(name);
        }
    }

    @Test
    void oneMemberCannotUseUpTheChannelsProxiesForTheOthers() throws Exception {
        String name = "fair-share";
        GroupManager g = admin.create_group(name, chat());
        try {
            JoinTicket ann = g.join("r-ann", "Ann", "Member", null, false, false);
            JoinTicket bob = g.join("r-bob", "Bob", "Member", null, false, false);
            org.omg.CosEventChannelAdmin.ConsumerAdmin annAdmin = ann.channel.for_consumers();
            List<org.omg.CosEventChannelAdmin.ProxyPullSupplier> held = new java.util.ArrayList<>();
            for (int i = 0; i < MemberChannelServant.MAX_UNCONNECTED; i++) {
                held.add(annAdmin.obtain_pull_supplier());
            }
            org.omg.CORBA.IMP_LIMIT full = assertThrows(org.omg.CORBA.IMP_LIMIT.class, annAdmin::obtain_push_supplier);
            assertTrue(full.getMessage().contains("this member's view"), full.getMessage());
            // Bob is not affected, and Ann gets room back by connecting one
            bob.channel.for_consumers().obtain_push_supplier().disconnect_push_supplier();
            held.get(0).connect_pull_consumer(null);
            annAdmin.obtain_pull_supplier().disconnect_pull_supplier();
        } finally {
            admin.destroy_group(name);
        }
    }

    @Test
    void oneMemberConnectsAtMostItsShareOfConsumers() throws Exception {
        String name = "consumer-share";
        GroupManager g = admin.create_group(name, chat());
        try {
            JoinTicket ann = g.join("r-ann", "Ann", "Member", null, false, false);
            JoinTicket bob = g.join("r-bob", "Bob", "Member", null, false, false);
            org.omg.CosEventChannelAdmin.ConsumerAdmin annAdmin = ann.channel.for_consumers();
            List<org.omg.CosEventChannelAdmin.ProxyPullSupplier> connected = new java.util.ArrayList<>();
            for (int i = 0; i < MemberChannelServant.MAX_CONNECTED; i++) {
                org.omg.CosEventChannelAdmin.ProxyPullSupplier p = annAdmin.obtain_pull_supplier();
                p.connect_pull_consumer(null);
                connected.add(p);
            }
            org.omg.CORBA.IMP_LIMIT full = assertThrows(org.omg.CORBA.IMP_LIMIT.class, annAdmin::obtain_pull_supplier);
            assertTrue(full.getMessage().contains(MemberChannelServant.MAX_CONNECTED + " consumers connected"),
                    full.getMessage());
            // Bob is not affected, and Ann gets room back by disconnecting one
            bob.channel.for_consumers().obtain_pull_supplier().connect_pull_consumer(null);
            connected.remove(0).disconnect_pull_supplier();
            annAdmin.obtain_pull_supplier().connect_pull_consumer(null);
        } finally {
            admin.destroy_group(name);
        }
    }

    @Test
    void aPublicChannelStillTakesPushAndPullSuppliers() throws Exception {
        EventChannel ch = client.factory().create_channel("open-supplier-side");
        try {
            ProxyPullSupplier out = ch.for_consumers().obtain_pull_supplier();
            out.connect_pull_consumer(null);
            ProxyPushConsumer in = ch.for_suppliers().obtain_push_consumer();
            in.connect_push_supplier(null);
            Any a = client.orb().create_any();
            a.insert_string("hello");
            in.push(a);
            assertEquals("hello", out.pull().extract_string());
            // the pull side of the supplier admin is open too
            ch.for_suppliers().obtain_pull_consumer().disconnect_pull_consumer();
            in.disconnect_push_consumer();
            out.disconnect_pull_supplier();
        } finally {
            client.factory().destroy_channel("open-supplier-side");
        }
    }
}
