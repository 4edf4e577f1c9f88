package org.troupe.bench;

import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.omg.CORBA.Any;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.troupe.eventclient.ChannelSubscriber;
import org.troupe.eventclient.EventListener;
import org.troupe.eventclient.EventServiceClient;

/**
 * Bench child process: one push consumer. Arguments: {@code IOR EXPECTED IDLE_MS}. Events with a
 * negative sequence number are warm-up: they keep the consumer busy but are not measured. Prints
 * {@code READY}, then, once EXPECTED events arrived or none arrived for IDLE_MS after the first
 * (120 s for the first), one line:
 * {@code RESULT received=.. distinct=.. reordered=.. events_s=.. p50_us=.. p99_us=..}.
 */
public final class BenchConsumer implements EventListener {
    private final int expected;
    private final long[] latencies;
    private final BitSet seen;
    private final long[] header = new long[2];
    private int received;
    private int distinct;
    private long reordered;
    private long lastSeq = -1;
    private long firstNanos;
    private volatile long lastNanos;

    private BenchConsumer(int expected) {
        this.expected = expected;
        this.latencies = new long[expected];
        this.seen = new BitSet(expected);
    }

    @Override
    public synchronized void onEvent(Any event) {
        long now = System.nanoTime();
        BenchEvents.read(event, header);
        long seq = header[0];
        lastNanos = now;
        if (seq < 0) {
            return; // warm-up
        }
        if (received == 0) {
            firstNanos = now;
        }
        if (received < latencies.length) {
            latencies[received] = now - header[1];
        }
        received++;
        if (seq < lastSeq) {
            reordered++;
        }
        lastSeq = Math.max(lastSeq, seq);
        if (seq >= 0 && seq < expected && !seen.get((int) seq)) {
            seen.set((int) seq);
            distinct++;
        }
        lastNanos = now;
        if (received >= expected) {
            notifyAll();
        }
    }

    private synchronized String awaitResult(long idleMillis) throws InterruptedException {
        long idle = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        long start = System.nanoTime();
        long firstEventWait = TimeUnit.SECONDS.toNanos(120); // other JVMs may still be starting
        while (received < expected) {
            long now = System.nanoTime();
            if (lastNanos == 0 ? now - start > firstEventWait : now - lastNanos > idle) {
                break;
            }
            wait(100);
        }
        int n = Math.min(received, latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        double seconds = (lastNanos - firstNanos) / 1e9;
        double rate = received > 1 && seconds > 0 ? (received - 1) / seconds : 0;
        return String.format("RESULT received=%d distinct=%d reordered=%d events_s=%.0f p50_us=%d p99_us=%d",
                received, distinct, reordered, rate, pct(sorted, 0.50), pct(sorted, 0.99));
    }

    static long pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000;
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        int expected = Integer.parseInt(args[1]);
        long idleMillis = Long.parseLong(args[2]);
        BenchConsumer me = new BenchConsumer(expected);
        try (EventServiceClient client = BenchClients.client()) {
            EventChannel channel = EventChannelHelper.narrow(client.orb().string_to_object(args[0]));
            ChannelSubscriber sub = ChannelSubscriber.connect(client.rootPoa(), channel, me);
            System.out.println("READY");
            System.out.flush();
            String result = me.awaitResult(idleMillis);
            sub.close();
            System.out.println(result);
            System.out.flush();
            BenchSupplier.awaitStdinEof(); // the orchestrator reads our CPU time first
        }
    }
}
