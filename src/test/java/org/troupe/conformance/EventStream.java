package org.troupe.conformance;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.omg.CORBA.Any;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.troupe.eventclient.ChannelPublisher;
import org.troupe.eventclient.EventServiceClient;

/**
 * Test helper: a push supplier in this JVM (its own ORB, talking IIOP to the server) that
 * publishes small string events as fast as the channel takes them (or at a steady pace), until
 * closed or until the channel refuses (destroyed).
 */
final class EventStream implements AutoCloseable {
    private final EventServiceClient client;
    private final ChannelPublisher publisher;
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean closed;
    private final long pauseNanos;

    /** A stream as fast as the channel takes it. */
    EventStream(String channelUrl) throws Exception {
        this(channelUrl, 0);
    }

    /** A stream with a pause of {@code pauseMillis} after each event (a slow, steady supplier). */
    EventStream(String channelUrl, long pauseMillis) throws Exception {
        pauseNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(pauseMillis);
        client = EventServiceClient.withoutServer();
        publisher = ChannelPublisher.connect(client.orb(),
                EventChannelHelper.narrow(client.orb().string_to_object(channelUrl)), 1024, 64);
        thread = new Thread(this::run, "event-stream");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                Any a = client.orb().create_any();
                a.insert_string("e" + published.get());
                try {
                    publisher.publish(a, 1000);
                    published.incrementAndGet();
                    if (pauseNanos > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos); // the stream's pace
                    }
                } catch (TimeoutException e) {
                    // the channel holds the supplier back (flow control): try again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // the publisher failed: the channel was destroyed
        }
    }

    long published() {
        return published.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(5000);
        try {
            publisher.close();
        } catch (RuntimeException e) {
            // the channel may be gone
        }
        client.close();
    }
}
