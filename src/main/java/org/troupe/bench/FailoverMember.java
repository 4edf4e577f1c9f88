package org.troupe.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.troupe.member.Group;
import org.troupe.member.Troupe;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/**
 * One member of {@code bench failover}, in its own JVM, connected to every server of the
 * cluster. Protocol on stdout and stdin, one line each:
 * <ul>
 * <li>prints {@code READY} once the view has every member;
 * <li>{@code GO}: starts sending {@code --rate} messages a second (a steady pace: a send that
 *     was held up is followed by the ones due meanwhile) while it records every delivery;
 * <li>{@code STOP}: stops sending, waits until its queue is flushed, prints {@code SENT n};
 * <li>{@code EXPECT n0,n1,...} (what each member sent): once it has delivered all of those, or
 *     nothing new came for {@code 30 s}, writes its {@link DeliveryLog} and prints {@code DONE};
 * <li>{@code EXIT} or the end of stdin: leaves.
 * </ul>
 *
 * <p>Arguments: {@code --servers H:P,H:P,... --group G --index I --members N --rate R --size S
 * --out FILE}. The payload's first 16 bytes are the sender's index and its message number
 * {@code k = 0, 1, ...} (big-endian longs).
 */
public final class FailoverMember {
    private static final long QUIET_MILLIS = 30_000;

    private FailoverMember() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].substring(2), args[i + 1]);
        }
        int index = Integer.parseInt(a.get("index"));
        int members = Integer.parseInt(a.get("members"));
        double rate = Double.parseDouble(a.get("rate"));
        int size = Math.max(16, Integer.parseInt(a.get("size")));
        DeliveryLog log = new DeliveryLog();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Troupe troupe = Troupe.connect(a.get("servers"));
             Group g = troupe.join(a.get("group"), "member", "m" + index)) {
            while (g.view().members().size() < members) {
                Delivery d = g.receive(Duration.ofSeconds(60));
                if (d == null) {
                    throw new IllegalStateException("the group did not fill up within 60 s");
                }
            }
            System.out.println("READY");
            System.out.flush();
            if (!"GO".equals(stdin.readLine())) {
                return;
            }
            Thread receiver = new Thread(() -> receive(g, log), "failover-receiver");
            receiver.setDaemon(true);
            receiver.start();
            Sender sender = new Sender(g, index, rate, size);
            Thread sending = new Thread(sender, "failover-sender");
            sending.setDaemon(true);
            sending.start();
            String line;
            while ((line = stdin.readLine()) != null && !line.equals("EXIT")) {
                if (line.equals("STOP")) {
                    sender.stop();
                    sending.join(TimeUnit.SECONDS.toMillis(60));
                    g.flush(Duration.ofSeconds(60));
                    System.out.println("SENT " + sender.sent() + (sender.failure() == null ? ""
                            : " failed: " + sender.failure()));
                } else if (line.startsWith("EXPECT ")) {
                    String[] parts = line.substring(7).split(",");
                    long[] expected = new long[parts.length];
                    for (int i = 0; i < parts.length; i++) {
                        expected[i] = Long.parseLong(parts[i].trim());
                    }
                    log.awaitAll(expected, QUIET_MILLIS);
                    log.write(Path.of(a.get("out")));
                    System.out.println("DONE " + log.size());
                }
                System.out.flush();
            }
        }
    }

    private static void receive(Group g, DeliveryLog log) {
        try {
            while (!g.isClosed()) {
                Delivery d = g.receive(Duration.ofMillis(200));
                if (d instanceof Received r) {
                    ByteBuffer b = ByteBuffer.wrap(r.payload());
                    log.delivered(b.getLong(0), b.getLong(8), r.sequenceId(), OrderRecorder.nowMicros());
                } else if (d instanceof ViewChange v) {
                    log.viewChanged(v.left().size() + v.crashed().size());
                }
            }
            log.closed(g.closedReason());
        } catch (Exception e) {
            log.closed(e.toString());
        }
    }

    /** Sends at a steady pace until stopped; counts what {@code send} took. */
    private static final class Sender implements Runnable {
        private final Group group;
        private final int index;
        private final long periodNanos;
        private final int size;
        private volatile boolean stopped;
        private volatile long sent;
        private volatile String failure;

        Sender(Group group, int index, double rate, int size) {
            this.group = group;
            this.index = index;
            this.periodNanos = (long) (1e9 / rate);
            this.size = size;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            for (long k = 0; !stopped; k++) {
                long due = start + k * periodNanos;
                long wait;
                while (!stopped && (wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (stopped) {
                    return;
                }
                byte[] p = new byte[size];
                ByteBuffer.wrap(p).putLong(index).putLong(k);
                try {
                    group.send("bench", p);
                    sent = k + 1;
                } catch (Exception e) {
                    failure = e.toString();
                    return;
                }
            }
        }

        void stop() {
            stopped = true;
        }

        long sent() {
            return sent;
        }

        String failure() {
            return failure;
        }
    }
}
