package org.troupe.server.events.corba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.idl.Events.BatchPushConsumerPOA;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import org.troupe.server.events.EventChannelCore;

/**
 * A batch consumer, over IIOP from its own ORB, whose {@code push_batch} fails with UNKNOWN (its
 * own code threw) or MARSHAL: the batch's events are lost, so the channel cuts it off and tells it
 * ({@code disconnect_push_consumer}) instead of counting them and leaving it to wait on the gap;
 * nothing of that batch counts as delivered.
 */
@Tag("integration")
class BatchLossTest {
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

    /** Fails its first push_batch the given way, takes the rest. */
    private static final class Failing extends BatchPushConsumerPOA {
        final RuntimeException failure;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final CountDownLatch told = new CountDownLatch(1);

        Failing(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public void push_batch(Any[] events) {
            if (calls.getAndIncrement() == 0) {
                throw failure;
            }
            received.addAndGet(events.length);
        }

        @Override
        public void push(Any data) {
            push_batch(new Any[] {data});
        }

        @Override
        public void disconnect_push_consumer() {
            told.countDown();
        }
    }

    private void lostBatchCutsOff(String channel, RuntimeException failure) throws Exception {
        EventChannel ch = client.factory().create_channel(channel);
        try {
            Failing consumer = new Failing(failure);
            ch.for_consumers().obtain_push_supplier().connect_push_consumer(
                    PushConsumerHelper.narrow(client.rootPoa().servant_to_reference(consumer)));
            ProxyPushConsumer in = ch.for_suppliers().obtain_push_consumer();
            in.connect_push_supplier(null);
            Any a = client.orb().create_any();
            a.insert_long(1);
            in.push(a);
            assertTrue(consumer.told.await(20, TimeUnit.SECONDS), "the consumer was told it was disconnected");
            EventChannelCore core = server.directory().core(channel);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (core.consumerCount() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, core.consumerCount(), "cut off");
            assertEquals(0, core.eventsDelivered(), "the lost batch is not counted as delivered");
            assertEquals(1, core.eventsDropped());
            in.push(a); // nothing more reaches the consumer, and the supplier goes on
            assertEquals(1, consumer.calls.get());
        } finally {
            client.factory().destroy_channel(channel);
        }
    }

    @Test
    void aBatchThatRaisesUnknownCutsTheConsumerOffAndTellsIt() throws Exception {
        lostBatchCutsOff("lost-unknown", new IllegalStateException("consumer bug"));
    }

    @Test
    void aBatchThatRaisesMarshalCutsTheConsumerOffAndTellsIt() throws Exception {
        lostBatchCutsOff("lost-marshal", new org.omg.CORBA.MARSHAL("cannot read the batch"));
    }
}
