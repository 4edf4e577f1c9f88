package org.troupe.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.troupe.eventclient.ChannelPublisher;
import org.troupe.eventclient.EventServiceClient;

/**
 * Bench child process: one push supplier. Arguments: {@code IOR EVENTS SIZE WARMUP_MS}. Prints
 * {@code READY}, waits for a line on stdin, publishes warm-up events numbered -1, -2 ... (not
 * measured) for WARMUP_MS, flushes, prints {@code MEASURE}, publishes EVENTS events numbered
 * 0..EVENTS-1, flushes, prints {@code DONE sent=N}.
 */
public final class BenchSupplier {
    private BenchSupplier() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        long events = Long.parseLong(args[1]);
        int size = Integer.parseInt(args[2]);
        long warmupNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        try (EventServiceClient client = BenchClients.client()) {
            EventChannel channel = EventChannelHelper.narrow(client.orb().string_to_object(args[0]));
            try (ChannelPublisher pub = ChannelPublisher.connect(client.orb(), channel)) {
                System.out.println("READY batching=" + pub.batching());
                System.out.flush();
                BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                stdin.readLine();
                long warmStart = System.nanoTime();
                for (long i = -1; System.nanoTime() - warmStart < warmupNanos; i--) {
                    pub.publish(BenchEvents.make(client.orb(), i, size), 60_000);
                }
                pub.flush(120_000);
                System.out.println("MEASURE");
                System.out.flush();
                long t0 = System.nanoTime();
                for (long i = 0; i < events; i++) {
                    pub.publish(BenchEvents.make(client.orb(), i, size), 60_000);
                }
                pub.flush(120_000);
                System.out.println("DONE sent=" + events + " seconds=" + (System.nanoTime() - t0) / 1e9);
                System.out.flush();
                awaitStdinEof(); // the orchestrator reads our CPU time first
            }
        }
    }

    /** Blocks until standard input closes (at most 60 s). */
    static void awaitStdinEof() throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // discard
                }
            } catch (java.io.IOException e) {
                // closed
            }
        }, "stdin-eof");
        t.setDaemon(true);
        t.start();
        t.join(60_000);
    }
}
