package org.troupe.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.troupe.member.Group;
import org.troupe.member.JoinOptions;
import org.troupe.member.Troupe;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;

/**
 * One member of {@code bench total-order} on Troupe, in its own JVM with its own ORB, a member
 * of one group or of several (each with its own sender and receiver thread). Protocol on stdout:
 * {@code READY} once every group's view has every member, then (after {@code GO} on stdin) it
 * sends its share to every group, and prints {@code DONE} once it has delivered every message of
 * every group and written one {@link OrderRecorder} file per group ({@code FILE.0},
 * {@code FILE.1}, ...); {@code EXIT} (or EOF) ends it.
 *
 * <p>Arguments: {@code --server URL --group G[,G2,...] --index I --members N --senders K --size S
 * --per-sender P --out FILE [--sequencer] [--one-at-a-time W]}. With {@code --one-at-a-time} a
 * sender sends its first {@code W} messages (the warm-up) as fast as it can, waits until it has
 * delivered them, then sends each next message only once it has delivered the previous one
 * (unloaded latency, measured on warm code).
 */
public final class TroupeOrderMember {
    private static final Duration QUIET = Duration.ofSeconds(60);

    private TroupeOrderMember() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sequencer")) {
                a.put(args[i].substring(2), "true");
            } else {
                a.put(args[i].substring(2), args[++i]);
            }
        }
        int index = Integer.parseInt(a.get("index"));
        int members = Integer.parseInt(a.get("members"));
        int senders = Integer.parseInt(a.get("senders"));
        int size = Integer.parseInt(a.get("size"));
        int perSender = Integer.parseInt(a.get("per-sender"));
        int oneAtATimeFrom = a.containsKey("one-at-a-time") ? Integer.parseInt(a.get("one-at-a-time")) : -1;
        String[] names = a.get("group").split(",");
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Troupe troupe = Troupe.connect(a.get("server"))) {
            List<Member> joined = new ArrayList<>();
            for (String name : names) {
                joined.add(new Member(troupe.join(name, "member", "m" + index,
                        JoinOptions.defaults().sequencer(a.containsKey("sequencer"))),
                        new OrderRecorder(senders, perSender), index));
            }
            for (Member m : joined) {
                m.awaitView(members);
            }
            System.out.println("READY");
            System.out.flush();
            if (!"GO".equals(stdin.readLine())) {
                return;
            }
            List<Thread> threads = new ArrayList<>();
            for (Member m : joined) {
                threads.add(start(m::receive, "bench-receiver-" + m.group.name()));
                if (index < senders) {
                    threads.add(start(() -> m.send(size, perSender, oneAtATimeFrom), "bench-sender-" + m.group.name()));
                }
            }
            for (Thread t : threads) {
                t.join();
            }
            for (Member m : joined) {
                if (m.failure != null) {
                    throw new IllegalStateException("group " + m.group.name() + ": " + m.failure);
                }
            }
            for (int g = 0; g < joined.size(); g++) {
                joined.get(g).recorder.write(Path.of(a.get("out") + "." + g));
            }
            System.out.println("DONE");
            System.out.flush();
            String line;
            while ((line = stdin.readLine()) != null && !line.equals("EXIT")) {
                // wait for the coordinator: leaving early would show in the others' views
            }
            for (Member m : joined) {
                m.group.close();
            }
        }
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.start();
        return t;
    }

    /** This process in one group: its handle, what it delivered, and its own last delivered message. */
    private static final class Member {
        final Group group;
        final OrderRecorder recorder;
        final int index;
        /** The number of this member's own messages delivered back to it (one-at-a-time pacing). */
        private long ownDelivered;
        volatile String failure;

        Member(Group group, OrderRecorder recorder, int index) {
            this.group = group;
            this.recorder = recorder;
            this.index = index;
        }

        void awaitView(int members) throws Exception {
            while (group.view().members().size() < members) { // deliveries before the full view: views only
                Delivery d = group.receive(QUIET);
                if (d == null) {
                    throw new IllegalStateException("group " + group.name() + " did not fill up within 60 s");
                }
            }
        }

        void receive() {
            try {
                boolean done = false;
                while (!done && failure == null) {
                    Delivery d = group.receive(QUIET);
                    if (d == null) {
                        failure = "nothing delivered for 60 s; " + recorder.count() + " delivered";
                        return;
                    }
                    if (d instanceof Received r) {
                        done = recorder.delivered(r.payload());
                        if (ByteBuffer.wrap(r.payload()).getLong(0) == index) {
                            synchronized (this) {
                                ownDelivered++;
                                notifyAll();
                            }
                        }
                    }
                }
            } catch (Exception e) {
                failure = "receive failed: " + e;
            }
        }

        /** Sends; from message {@code oneAtATimeFrom} on (if not negative), one at a time. */
        void send(int size, int perSender, int oneAtATimeFrom) {
            try {
                for (int k = 0; k < perSender && failure == null; k++) {
                    if (k == oneAtATimeFrom) {
                        awaitOwn(k); // the warm-up is in: from here on, nothing else in flight
                    }
                    group.send("bench", OrderRecorder.payload(size, index, k));
                    if (oneAtATimeFrom >= 0 && k >= oneAtATimeFrom) {
                        awaitOwn(k + 1);
                    }
                }
            } catch (Exception e) {
                failure = "send failed: " + e;
            }
        }

        private synchronized void awaitOwn(long count) throws InterruptedException {
            long deadline = System.nanoTime() + QUIET.toNanos();
            while (ownDelivered < count && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("own message " + (count - 1) + " not delivered within 60 s");
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }
}
