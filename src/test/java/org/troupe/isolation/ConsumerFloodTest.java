package org.troupe.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omg.CORBA.Any;
import org.omg.CORBA.IMP_LIMIT;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.ProxyPullSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;
import org.troupe.server.events.ChannelSettings;

/**
 * A client connects consumers to one channel of a server with a 256 MiB heap until it is
 * refused: the channel's cap ({@value ChannelSettings#DEFAULT_MAX_CONSUMERS} by default) stops
 * it with IMP_LIMIT, the idle consumers' queues cost little memory, and the channel goes on.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsumerFloodTest {

    @Test
    void connectedConsumersAreCappedPerChannelAndCostLittleMemory() throws Exception {
        int port = JavaProcess.freePort();
        int max = ChannelSettings.DEFAULT_MAX_CONSUMERS;
        try (JavaProcess server = TroupeProcesses.startServer("server", port, List.of("--no-naming"));
                EventServiceClient client = EventServiceClient.connect("127.0.0.1:" + port)) {
            EventChannel ch = client.factory().create_channel("crowded");
            ProxyPushConsumer in = ch.for_suppliers().obtain_push_consumer();
            in.connect_push_supplier(null);
            List<ProxyPullSupplier> connected = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                ProxyPullSupplier p = ch.for_consumers().obtain_pull_supplier();
                p.connect_pull_consumer(null);
                connected.add(p);
            }
            ProxyPullSupplier extra = ch.for_consumers().obtain_pull_supplier();
            IMP_LIMIT refused = assertThrows(IMP_LIMIT.class, () -> extra.connect_pull_consumer(null));
            assertTrue(refused.getMessage().contains("already has " + max + " consumers connected"),
                    refused.getMessage());
            // the channel goes on: an event reaches the connected ones
            Any a = client.orb().create_any();
            a.insert_string("still here");
            in.push(a);
            assertEquals("still here", connected.get(0).pull().extract_string());
            assertEquals("still here", connected.get(max - 1).pull().extract_string());
            // a disconnect frees a place
            connected.remove(0).disconnect_pull_supplier();
            ProxyPullSupplier again = ch.for_consumers().obtain_pull_supplier();
            again.connect_pull_consumer(null);
            assertTrue(server.isAlive(), server.describe());
            assertFalse(server.stderr().contains("OutOfMemoryError"), server.stderr());
        }
    }
}
