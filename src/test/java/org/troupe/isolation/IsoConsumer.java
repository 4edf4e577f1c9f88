package org.troupe.isolation;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.omg.CORBA.Any;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.troupe.eventclient.ChannelSubscriber;
import org.troupe.eventclient.EventListener;
import org.troupe.eventclient.EventServiceClient;

/**
 * Isolation test child: one push consumer in its own JVM. Argument: the channel's IOR or URL.
 * Prints {@code READY} once connected, then answers commands read from stdin:
 * <ul>
 *   <li>{@code AWAIT N MS}: waits until N events arrived (at most MS), then prints
 *       {@code AWAITED ok=true|false received=.. distinct=.. reordered=.. first_missing=.. disconnected=..};
 *   <li>{@code REPORT}: prints {@code REPORT} and the same fields at once.
 * </ul>
 * Prints {@code DISCONNECTED} when the channel disconnects it. Disconnects and exits when stdin closes.
 */
public final class IsoConsumer implements EventListener {
    private final BitSet seen = new BitSet();
    private long received;
    private long distinct;
    private long reordered;
    private long lastSeq = -1;
    private volatile boolean disconnected;

    @Override
    public synchronized void onEvent(Any event) {
        long seq = IsoEvents.seq(event);
        received++;
        if (seq < lastSeq) {
            reordered++;
        }
        lastSeq = Math.max(lastSeq, seq);
        if (seq >= 0 && seq < Integer.MAX_VALUE && !seen.get((int) seq)) {
            seen.set((int) seq);
            distinct++;
        }
        notifyAll();
    }

    @Override
    public void onDisconnected() {
        disconnected = true;
        out("DISCONNECTED");
    }

    private synchronized String stats() {
        return "received=" + received + " distinct=" + distinct + " reordered=" + reordered
                + " first_missing=" + seen.nextClearBit(0) + " disconnected=" + disconnected;
    }

    private synchronized boolean awaitReceived(long n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (received < n) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private static void out(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        org.troupe.bench.ParentWatch.haltWithParent(); // no orphans if the test JVM dies
        IsoConsumer me = new IsoConsumer();
        try (EventServiceClient client = EventServiceClient.withoutServer()) {
            EventChannel channel = EventChannelHelper.narrow(client.orb().string_to_object(args[0]));
            ChannelSubscriber sub = ChannelSubscriber.connect(client.rootPoa(), channel, me);
            out("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split("\\s+");
                switch (cmd[0]) {
                    case "AWAIT" -> {
                        boolean ok = me.awaitReceived(Long.parseLong(cmd[1]), Long.parseLong(cmd[2]));
                        out("AWAITED ok=" + ok + " " + me.stats());
                    }
                    case "REPORT" -> out("REPORT " + me.stats());
                    default -> out("ERROR unknown command " + line);
                }
            }
            sub.close();
        }
        System.exit(0);
    }
}
