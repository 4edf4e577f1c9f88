package org.troupe.server.events.corba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_PARAM;
import org.omg.CORBA.BooleanHolder;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPullConsumer;
import org.omg.CosEventComm.PullSupplierHelper;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.CosEventComm.PushConsumerPOA;
import org.troupe.eventclient.ChannelPublisher;
import org.troupe.eventclient.ChannelSubscriber;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.idl.Events.BatchProxyPullSupplier;
import org.troupe.idl.Events.BatchProxyPullSupplierHelper;
import org.troupe.idl.Events.BatchProxyPushConsumer;
import org.troupe.idl.Events.BatchProxyPushConsumerHelper;
import org.troupe.idl.Events.BatchPullSupplierPOA;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * Troupe's batch fast path between a server and clients on separate ORBs over IIOP: used
 * automatically when both sides support it, invisible to standard clients, all-or-nothing on bad
 * input.
 */
@Tag("integration")
class BatchFastPathTest {
    private static TroupeServer server;
    private static EventServiceClient client;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        server = TroupeServer.start(ServerSettings.defaults(port));
        client = EventServiceClient.connect("127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static Any event(int i) {
        Any a = client.orb().create_any();
        a.insert_long(i);
        return a;
    }

    @Test
    void batchPublisherToBatchSubscriberAndToAStandardConsumerInOrder() throws Exception {
        EventChannel ch = client.factory().create_channel("fast-push");
        BlockingQueue<Integer> batchSide = new ArrayBlockingQueue<>(20_000);
        BlockingQueue<Integer> standardSide = new ArrayBlockingQueue<>(20_000);
        ChannelSubscriber sub = ChannelSubscriber.connect(client.rootPoa(), ch, e -> batchSide.add(e.extract_long()));
        PushConsumerPOA plain = new PushConsumerPOA() {
            @Override
            public void push(Any data) {
                standardSide.add(data.extract_long());
            }

            @Override
            public void disconnect_push_consumer() {
            }
        };
        ch.for_consumers().obtain_push_supplier().connect_push_consumer(
                PushConsumerHelper.narrow(client.rootPoa().servant_to_reference(plain)));
        try (ChannelPublisher pub = ChannelPublisher.connect(client.orb(), ch)) {
            assertTrue(pub.batching(), "a Troupe channel offers push_batch");
            for (int i = 0; i < 10_000; i++) {
                pub.publish(event(i), 10_000);
            }
            pub.flush(30_000);
        }
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i, batchSide.poll(30, TimeUnit.SECONDS));
            assertEquals(i, standardSide.poll(30, TimeUnit.SECONDS));
        }
        sub.close();
        client.factory().destroy_channel("fast-push");
    }

    @Test
    void theChannelPullsBatchesFromABatchPullSupplierAndPullConsumersPullBatches() throws Exception {
        EventChannel ch = client.factory().create_channel("fast-pull");
        BatchProxyPullSupplier out = BatchProxyPullSupplierHelper.narrow(ch.for_consumers().obtain_pull_supplier());
        out.connect_pull_consumer(null);
        AtomicInteger largestAsk = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        BatchPullSupplierPOA supplier = new BatchPullSupplierPOA() {
            @Override
            public Any[] try_pull_batch(int max) {
                largestAsk.accumulateAndGet(max, Math::max);
                List<Any> got = new ArrayList<>();
                while (got.size() < max && next.get() < 3000) {
                    got.add(event(next.getAndIncrement()));
                }
                return got.toArray(new Any[0]);
            }

            @Override
            public Any[] pull_batch(int max) {
                return try_pull_batch(max);
            }

            @Override
            public Any pull() {
                throw new org.omg.CORBA.NO_IMPLEMENT("the channel must use the batch operations");
            }

            @Override
            public Any try_pull(BooleanHolder has) {
                throw new org.omg.CORBA.NO_IMPLEMENT("the channel must use the batch operations");
            }

            @Override
            public void disconnect_pull_supplier() {
            }
        };
        ProxyPullConsumer in = ch.for_suppliers().obtain_pull_consumer();
        in.connect_pull_supplier(PullSupplierHelper.narrow(client.rootPoa().servant_to_reference(supplier)));
        int expected = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (expected < 3000 && System.nanoTime() < deadline) {
            for (Any a : out.pull_batch(1000)) { // blocks until at least one
                assertEquals(expected++, a.extract_long());
            }
        }
        assertEquals(3000, expected);
        // pull / try_pull raise NO_IMPLEMENT, which would have cut the supplier off: the channel used
        // the batch operations only, asking for a whole batch at a time
        assertEquals(512, largestAsk.get());
        assertArrayEquals(new Any[0], out.try_pull_batch(10));
        assertThrows(BAD_PARAM.class, () -> out.pull_batch(0));
        in.disconnect_pull_consumer();
        client.factory().destroy_channel("fast-pull");
    }

    @Test
    void aBadBatchIsRefusedWholeWithAClearMessage() throws Exception {
        EventChannel ch = client.factory().create_channel("bad-batch");
        BatchProxyPullSupplier out = BatchProxyPullSupplierHelper.narrow(ch.for_consumers().obtain_pull_supplier());
        out.connect_pull_consumer(null);
        BatchProxyPushConsumer in = BatchProxyPushConsumerHelper.narrow(ch.for_suppliers().obtain_push_consumer());
        in.connect_push_supplier(null);

        Any[] withHole = {event(1), client.orb().create_any(), event(3)};
        BAD_PARAM e = assertThrows(BAD_PARAM.class, () -> in.push_batch(withHole));
        assertTrue(e.getMessage().contains("event #1") && e.getMessage().contains("no value"), e.getMessage());

        Any[] tooMany = new Any[4097];
        for (int i = 0; i < tooMany.length; i++) {
            tooMany[i] = event(i);
        }
        BAD_PARAM e2 = assertThrows(BAD_PARAM.class, () -> in.push_batch(tooMany));
        assertTrue(e2.getMessage().contains("4096"), e2.getMessage());

        assertEquals(0, out.try_pull_batch(10).length, "nothing of a refused batch may be queued");
        in.push_batch(new Any[] {event(7)});
        assertEquals(7, out.pull_batch(10)[0].extract_long(), "the channel goes on");
        client.factory().destroy_channel("bad-batch");
    }

    @Test
    void aSubscriberIsToldWhenItsChannelIsDestroyed() throws Exception {
        EventChannel ch = client.factory().create_channel("doomed");
        CountDownLatch told = new CountDownLatch(1);
        ChannelSubscriber sub = ChannelSubscriber.connect(client.rootPoa(), ch, new org.troupe.eventclient.EventListener() {
            @Override
            public void onEvent(Any event) {
            }

            @Override
            public void onDisconnected() {
                told.countDown();
            }
        });
        client.factory().destroy_channel("doomed");
        assertTrue(told.await(10, TimeUnit.SECONDS));
        assertTrue(sub.disconnected());
    }
}
