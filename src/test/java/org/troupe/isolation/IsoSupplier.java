package org.troupe.isolation;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.troupe.eventclient.ChannelPublisher;
import org.troupe.eventclient.EventServiceClient;

/**
 * Isolation test child: one push supplier in its own JVM. Arguments: the channel's IOR or URL,
 * the event size in bytes. Prints {@code READY}, then for each stdin line {@code SEND N} publishes
 * the next N events (sequence numbers continue from the previous command), waits until the
 * channel accepted them all, and prints {@code SENT ok=true total=.. ms=..} (or
 * {@code SENT ok=false error=..}). Disconnects and exits when stdin closes.
 */
public final class IsoSupplier {
    private IsoSupplier() {
    }

    public static void main(String[] args) throws Exception {
        org.troupe.bench.ParentWatch.haltWithParent(); // no orphans if the test JVM dies
        int size = Integer.parseInt(args[1]);
        try (EventServiceClient client = EventServiceClient.withoutServer()) {
            EventChannel channel = EventChannelHelper.narrow(client.orb().string_to_object(args[0]));
            try (ChannelPublisher pub = ChannelPublisher.connect(client.orb(), channel)) {
                System.out.println("READY batching=" + pub.batching());
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                long next = 0;
                String line;
                while ((line = in.readLine()) != null) {
                    String[] cmd = line.trim().split("\\s+");
                    if (!cmd[0].equals("SEND")) {
                        System.out.println("ERROR unknown command " + line);
                        System.out.flush();
                        continue;
                    }
                    long n = Long.parseLong(cmd[1]);
                    long t0 = System.nanoTime();
                    try {
                        for (long i = 0; i < n; i++) {
                            pub.publish(IsoEvents.make(client.orb(), next++, size), 30_000);
                        }
                        pub.flush(60_000);
                        System.out.println("SENT ok=true total=" + next + " ms=" + (System.nanoTime() - t0) / 1_000_000);
                    } catch (Exception e) {
                        System.out.println("SENT ok=false total=" + next + " error="
                                + String.valueOf(e).replaceAll("\\s+", "_"));
                    }
                    System.out.flush();
                }
            }
        }
        System.exit(0);
    }
}
