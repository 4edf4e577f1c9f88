package org.troupe.server.events.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.omg.CORBA.IMP_LIMIT;
import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPullConsumer;
import org.omg.CosEventChannelAdmin.ProxyPullSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.omg.CosEventChannelAdmin.ProxyPushSupplier;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * Proxies that clients obtain and never connect, over IIOP from a client ORB: a channel holds at
 * most {@code maxUnconnectedProxies} of them (then {@code obtain_*} raises IMP_LIMIT, and the
 * channel goes on working), and each is disposed after {@code proxyConnectTimeoutMillis}.
 */
@Tag("integration")
class UnconnectedProxyLimitsTest {

    /** A server (its own ORB, 127.0.0.1, a free port) with these proxy limits, and a client of it. */
    private static final class Setup implements AutoCloseable {
        final TroupeServer server;
        final EventServiceClient client;

        Setup(long connectTimeoutMillis, int maxUnconnected) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            server = TroupeServer.start(new ServerSettings("127.0.0.1", port, false,
                    ChannelSettings.defaults().withProxyLimits(connectTimeoutMillis, maxUnconnected),
                    GroupSettings.defaults()));
            EventServiceClient c;
            try {
                c = EventServiceClient.connect("127.0.0.1:" + port);
            } catch (Exception | Error e) {
                server.close();
                throw e;
            }
            client = c;
        }

        Any text(String s) {
            Any a = client.orb().create_any();
            a.insert_string(s);
            return a;
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    private static void assertCapped(org.junit.jupiter.api.function.Executable obtain, int max) {
        IMP_LIMIT e = assertThrows(IMP_LIMIT.class, obtain);
        assertTrue(e.getMessage() != null && e.getMessage().contains(max + " proxies obtained but not connected"),
                "message: " + e.getMessage());
    }

    @Test
    void pastTheCapObtainRaisesImpLimitAndTheChannelGoesOn() throws Exception {
        int max = 8;
        try (Setup t = new Setup(60_000, max)) {
            EventChannel ch = t.client.factory().create_channel("capped");
            List<ProxyPushConsumer> idle = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                idle.add(ch.for_suppliers().obtain_push_consumer());
            }
            // every obtain_* of this channel, on both sides, is refused
            assertCapped(() -> ch.for_suppliers().obtain_push_consumer(), max);
            assertCapped(() -> ch.for_suppliers().obtain_pull_consumer(), max);
            assertCapped(() -> ch.for_consumers().obtain_push_supplier(), max);
            assertCapped(() -> ch.for_consumers().obtain_pull_supplier(), max);
            // the limit is per channel
            EventChannel other = t.client.factory().create_channel("other");
            other.for_consumers().obtain_pull_supplier().disconnect_pull_supplier();

            // connecting one and disconnecting another frees two places
            ProxyPushConsumer in = idle.remove(0);
            in.connect_push_supplier(null);
            idle.remove(0).disconnect_push_consumer();
            ProxyPullSupplier out = ch.for_consumers().obtain_pull_supplier();
            out.connect_pull_consumer(null);
            in.push(t.text("after the cap"));
            assertEquals("after the cap", out.pull().extract_string(), "a connected supplier and consumer work");

            // exactly two places are free again: the count neither leaks nor goes below
            ProxyPushSupplier a = ch.for_consumers().obtain_push_supplier();
            ProxyPullConsumer b = ch.for_suppliers().obtain_pull_consumer();
            assertCapped(() -> ch.for_suppliers().obtain_push_consumer(), max);
            a.disconnect_push_supplier();
            b.disconnect_pull_consumer();
            t.client.factory().destroy_channel("capped");
            t.client.factory().destroy_channel("other");
        }
    }

    @Test
    void aProxyLeftUnconnectedPastTheTimeOutIsDisposedAndConnectedOnesStay() throws Exception {
        long timeout = 1000;
        int max = 4;
        try (Setup t = new Setup(timeout, max)) {
            EventChannel ch = t.client.factory().create_channel("expiring");
            ProxyPushConsumer in = ch.for_suppliers().obtain_push_consumer();
            in.connect_push_supplier(null);
            ProxyPullSupplier out = ch.for_consumers().obtain_pull_supplier();
            out.connect_pull_consumer(null);

            ProxyPushConsumer latePushConsumer = ch.for_suppliers().obtain_push_consumer();
            ProxyPullConsumer latePullConsumer = ch.for_suppliers().obtain_pull_consumer();
            ProxyPushSupplier latePushSupplier = ch.for_consumers().obtain_push_supplier();
            ProxyPullSupplier latePullSupplier = ch.for_consumers().obtain_pull_supplier();
            long obtained = System.nanoTime();
            assertFalse(latePushConsumer._non_existent(), "not disposed before its time-out");
            assertCapped(() -> ch.for_suppliers().obtain_push_consumer(), max);

            long deadline = obtained + 15_000_000_000L;
            while (!latePullSupplier._non_existent()) {
                assertTrue(System.nanoTime() < deadline, "an unconnected proxy still exists 15 s after obtain");
                Thread.sleep(50);
            }
            long elapsedMs = (System.nanoTime() - obtained) / 1_000_000;
            assertTrue(elapsedMs >= timeout - 100, "disposed after " + elapsedMs + " ms, time-out " + timeout);

            assertThrows(OBJECT_NOT_EXIST.class, () -> latePushConsumer.connect_push_supplier(null));
            assertThrows(OBJECT_NOT_EXIST.class, () -> latePullConsumer.connect_pull_supplier(null));
            assertThrows(OBJECT_NOT_EXIST.class, () -> latePushSupplier.connect_push_consumer(null));
            assertThrows(OBJECT_NOT_EXIST.class, () -> latePullSupplier.connect_pull_consumer(null));

            // the connected proxies outlived the time-out
            in.push(t.text("still here"));
            assertEquals("still here", out.pull().extract_string());

            // the disposed proxies gave their places back
            List<ProxyPushConsumer> again = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                again.add(ch.for_suppliers().obtain_push_consumer());
            }
            assertCapped(() -> ch.for_suppliers().obtain_push_consumer(), max);
            t.client.factory().destroy_channel("expiring");
        }
    }
}
