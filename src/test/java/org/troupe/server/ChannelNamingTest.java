package org.troupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_PARAM;
import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.omg.CosNaming.NamingContextExt;
import org.omg.CosNaming.NamingContextExtHelper;
import org.omg.CosNaming.NamingContextPackage.NotFound;
import org.troupe.eventclient.ChannelPublisher;
import org.troupe.eventclient.ChannelSubscriber;
import org.troupe.eventclient.EventListener;
import org.troupe.eventclient.EventServiceClient;

/**
 * A channel is reachable through the server's naming service (corbaname, NameService corbaloc)
 * and through its own corbaloc; one event goes push to push through each; after destroy none of
 * them resolves any more.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelNamingTest {
    private JavaProcess server;
    private int port;
    private String base;

    @BeforeAll
    void startServer() throws Exception {
        port = JavaProcess.freePort();
        base = "corbaloc:iiop:127.0.0.1:" + port;
        server = TroupeProcesses.startServer("server", port, List.of());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void channelReachableByCorbanameAndCorbalocUntilDestroyed() throws Exception {
        String name = "named-1";
        String corbaname = "corbaname::127.0.0.1:" + port + "#troupe/channels/" + name;
        String printedCorbaname = "corbaname:iiop:127.0.0.1:" + port + "#troupe/channels/" + name;
        String corbaloc = base + "/Troupe/channels/" + name;
        try (EventServiceClient client = EventServiceClient.connect(base)) {
            ORB orb = client.orb();
            EventChannel created = client.factory().create_channel(name);

            EventChannel byName = EventChannelHelper.narrow(orb.string_to_object(corbaname));
            assertTrue(byName._is_equivalent(created));
            pushOne(client, byName, "via corbaname");

            EventChannel byPrintedName = EventChannelHelper.narrow(orb.string_to_object(printedCorbaname));
            assertTrue(byPrintedName._is_equivalent(created));

            NamingContextExt naming = NamingContextExtHelper.narrow(orb.string_to_object(base + "/NameService"));
            EventChannel resolved = EventChannelHelper.narrow(naming.resolve_str("troupe/channels/" + name));
            assertTrue(resolved._is_equivalent(created));

            EventChannel byLoc = EventChannelHelper.narrow(orb.string_to_object(corbaloc));
            pushOne(client, byLoc, "via corbaloc");

            // a consumer still connected when the channel is destroyed is told
            CountDownLatch told = new CountDownLatch(1);
            ChannelSubscriber sub = ChannelSubscriber.connect(client.rootPoa(), byLoc, new EventListener() {
                @Override
                public void onEvent(Any event) {
                }

                @Override
                public void onDisconnected() {
                    told.countDown();
                }
            });

            client.factory().destroy_channel(name);
            assertTrue(told.await(10, TimeUnit.SECONDS), "a connected consumer must be told of destroy");
            assertTrue(sub.disconnected());

            assertThrows(NotFound.class, () -> naming.resolve_str("troupe/channels/" + name));
            // JacORB resolves a corbaname URL at once; a name that is not bound raises BAD_PARAM
            assertThrows(BAD_PARAM.class, () -> orb.string_to_object(corbaname),
                    "corbaname of a destroyed channel must not resolve");
            assertThrows(OBJECT_NOT_EXIST.class, () -> EventChannelHelper.unchecked_narrow(
                    orb.string_to_object(corbaloc)).for_consumers());
            assertThrows(OBJECT_NOT_EXIST.class, created::for_suppliers);

            // the name can be used again, and the corbaloc then reaches the new channel
            client.factory().create_channel(name);
            pushOne(client, EventChannelHelper.narrow(orb.string_to_object(corbaloc)), "via corbaloc, re-created");
            pushOne(client, EventChannelHelper.narrow(orb.string_to_object(corbaname)), "via corbaname, re-created");
            client.factory().destroy_channel(name);
        }
    }

    @Test
    void aDottedNameIsBoundAsTheStringSyntaxReadsItAndLeavesNoStaleName() throws Exception {
        TroupeProcesses.Result created = TroupeProcesses.run("channel", "create", "d.t", "--server", base);
        assertEquals(0, created.exitCode(), created.describe());
        String printed = created.stdout().stream().filter(l -> l.startsWith("corbaname: ")).findFirst().orElseThrow()
                .substring("corbaname: ".length());
        assertEquals("corbaname:iiop:127.0.0.1:" + port + "#troupe/channels/d.t", printed);
        try (EventServiceClient client = EventServiceClient.connect(base)) {
            ORB orb = client.orb();
            EventChannel ch = client.channel("d.t");
            // the printed URL and the documented form (docs/event-channel.md) resolve to the channel
            assertTrue(EventChannelHelper.narrow(orb.string_to_object(printed))._is_equivalent(ch));
            assertTrue(EventChannelHelper.narrow(orb.string_to_object("corbaname::127.0.0.1:" + port
                    + "#troupe/channels/d.t"))._is_equivalent(ch));
            NamingContextExt naming = NamingContextExtHelper.narrow(orb.string_to_object(base + "/NameService"));
            org.omg.CosNaming.NameComponent[] n = naming.to_name("troupe/channels/d.t");
            assertEquals("t", n[2].kind, "'.' separates id and kind in the string syntax");
            assertTrue(EventChannelHelper.narrow(naming.resolve(n))._is_equivalent(ch));
            pushOne(client, EventChannelHelper.narrow(orb.string_to_object(printed)), "via the printed corbaname");

            TroupeProcesses.Result destroyed = TroupeProcesses.run("channel", "destroy", "d.t", "--server", base);
            assertEquals(0, destroyed.exitCode(), destroyed.describe());
            assertThrows(NotFound.class, () -> naming.resolve_str("troupe/channels/d.t"), "no stale name");
            org.omg.CosNaming.BindingListHolder list = new org.omg.CosNaming.BindingListHolder();
            org.omg.CosNaming.NamingContext channels = org.omg.CosNaming.NamingContextHelper.narrow(
                    naming.resolve_str("troupe/channels"));
            channels.list(1000, list, new org.omg.CosNaming.BindingIteratorHolder());
            for (org.omg.CosNaming.Binding b : list.value) {
                assertFalse(b.binding_name[0].id.startsWith("d"), "stale binding " + naming.to_string(b.binding_name));
            }
        }
    }

    @Test
    void namesTheStringSyntaxReadsOtherwiseAreRefusedClearly() throws Exception {
        try (EventServiceClient client = EventServiceClient.connect(base)) {
            for (String bad : List.of("a.b.c", ".x", "x.", "a/b", "a\\b", "x..y")) {
                org.troupe.idl.Events.InvalidName e = assertThrows(org.troupe.idl.Events.InvalidName.class,
                        () -> client.factory().create_channel(bad), bad);
                assertTrue(e.reason.contains("at most one '.'"), e.reason);
            }
        }
    }

    /**
     * omniORB's tools read the same name: {@code nameclt} lists {@code d.t} and resolves
     * {@code troupe/channels/d.t}, and omniORB resolves the corbaname URL (as nameclt's root). Runs
     * where Debian's {@code omniorb} package is installed.
     */
    @Test
    void omniOrbResolvesTheDottedNameToo() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of(
                "/usr/bin/nameclt")), "omniORB's nameclt is not installed (Debian package omniorb)");
        try (EventServiceClient client = EventServiceClient.connect(base)) {
            client.factory().create_channel("o.k");
            try {
                String ns = "NameService=corbaloc::127.0.0.1:" + port + "/NameService";
                String list = omni("nameclt", "-ORBInitRef", ns, "list", "troupe/channels");
                assertTrue(list.lines().anyMatch(l -> l.trim().equals("o.k")), list);
                assertTrue(omni("nameclt", "-ORBInitRef", ns, "resolve", "troupe/channels/o.k").startsWith("IOR:"));
                // omniORB resolves the corbaname URL itself: an EventChannel, not a naming context
                String root = omni("nameclt", "-ORBInitRef", "NameService=corbaname::127.0.0.1:" + port
                        + "#troupe/channels/o.k", "list");
                assertTrue(root.contains("not a NamingContext"), root);
            } finally {
                client.factory().destroy_channel("o.k");
            }
            String after = omni("nameclt", "-ORBInitRef", "NameService=corbaloc::127.0.0.1:" + port + "/NameService",
                    "list", "troupe/channels");
            assertFalse(after.contains("o.k"), "stale name after destroy: " + after);
        }
    }

    private static String omni(String... command) throws Exception {
        try (JavaProcess p = JavaProcess.startCommand(command[0], List.of(command))) {
            p.awaitExit(20_000);
            return p.stdout() + "\n" + p.stderr();
        }
    }

    /** Pushes one string event through {@code channel} and checks a push consumer gets it. */
    private static void pushOne(EventServiceClient client, EventChannel channel, String text) throws Exception {
        BlockingQueue<String> got = new ArrayBlockingQueue<>(16);
        ChannelSubscriber sub = ChannelSubscriber.connect(client.rootPoa(), channel,
                event -> got.add(event.extract_string()));
        try (ChannelPublisher pub = ChannelPublisher.connect(client.orb(), channel)) {
            Any event = client.orb().create_any();
            event.insert_string(text);
            pub.publish(event, 5_000);
            pub.flush(10_000);
            assertEquals(text, got.poll(10, TimeUnit.SECONDS), "the event must arrive " + text);
        } finally {
            sub.close();
        }
    }
}
