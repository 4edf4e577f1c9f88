package org.troupe.server;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.omg.CORBA.Any;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.eventclient.ChannelPublisher;
import org.troupe.eventclient.ChannelSubscriber;
import org.troupe.eventclient.EventListener;
import org.troupe.eventclient.EventServiceClient;

/**
 * The {@code troupe server --demo} show: a supplier and a consumer, each with its own client ORB
 * talking IIOP to the server like any other client, on the channel {@code demo}. The supplier
 * pushes a string event every second; the consumer prints what it receives.
 */
public final class DemoTicker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoTicker.class);
    public static final String CHANNEL = "demo";

    private final EventServiceClient supplierSide;
    private final EventServiceClient consumerSide;
    private final ChannelPublisher publisher;
    private final ChannelSubscriber subscriber;
    private final Thread ticker;
    private volatile boolean stopping;

    private DemoTicker(String server, PrintWriter out) throws Exception {
        supplierSide = EventServiceClient.connect(server);
        consumerSide = EventServiceClient.connect(server);
        EventChannel forConsumer = consumerSide.channel(CHANNEL);
        subscriber = ChannelSubscriber.connect(consumerSide.rootPoa(), forConsumer, new EventListener() {
            @Override
            public void onEvent(Any event) {
                out.println("demo consumer received: " + event.extract_string());
                out.flush();
            }

            @Override
            public void onDisconnected() {
                out.println("demo consumer: disconnected by the channel");
                out.flush();
            }
        });
        publisher = ChannelPublisher.connect(supplierSide.orb(), supplierSide.channel(CHANNEL));
        ticker = new Thread(this::tick, "troupe-demo-ticker");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** Starts the demo against a running server that has a channel named {@value #CHANNEL}. */
    public static DemoTicker start(String server, PrintWriter out) throws Exception {
        return new DemoTicker(server, out);
    }

    private void tick() {
        long n = 0;
        try {
            while (!stopping) {
                Any a = supplierSide.orb().create_any();
                a.insert_string("tick " + (++n) + " at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
                publisher.publish(a, 5_000);
                TimeUnit.SECONDS.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!stopping) {
                LOG.warn("demo supplier stopped: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        ticker.interrupt();
        publisher.close();
        subscriber.close();
        supplierSide.close();
        consumerSide.close();
    }
}
