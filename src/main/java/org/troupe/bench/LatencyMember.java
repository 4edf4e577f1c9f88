package org.troupe.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.troupe.member.Group;
import org.troupe.member.JoinOptions;
import org.troupe.member.Troupe;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/**
 * One Troupe member of {@code bench latency}, in its own JVM with its own ORB. It joins the
 * bench group (role {@value LatencyBench#SENDER_ROLE} if it sends, else
 * {@value LatencyBench#MEMBER_ROLE}; a sequencer volunteer with {@code --sequencer}), prints
 * {@code JOINED} once in the group, {@code READY HOLDER ME} (the sequencer holder's member id, 0 for the server, and its own) once a
 * full view is delivered, and after {@code GO} delivers (and, as the sender,
 * sends) each kind's messages one at a time; see {@link LatencyDriver}. Each delivery is stamped
 * with {@link System#nanoTime} the moment {@link Group#receive} returns it to the application,
 * or with {@code --inline} the moment the member's listener is called on the thread that
 * received it ({@link JoinOptions#listenerInline}).
 *
 * <p>Arguments: {@code --server URL --group G --index I --members N --msgs M --size S
 * --kinds 0[,1] --board FILE --out FILE [--sender] [--sequencer] [--inline]}.
 */
public final class LatencyMember {
    private LatencyMember() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // stdout is the protocol
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sender") || args[i].equals("--sequencer") || args[i].equals("--inline")) {
                a.put(args[i].substring(2), "true");
            } else {
                a.put(args[i].substring(2), args[++i]);
            }
        }
        int index = Integer.parseInt(a.get("index"));
        int members = Integer.parseInt(a.get("members"));
        int msgs = Integer.parseInt(a.get("msgs"));
        int size = Integer.parseInt(a.get("size"));
        int[] kinds = java.util.Arrays.stream(a.get("kinds").split(",")).mapToInt(Integer::parseInt).toArray();
        boolean sender = a.containsKey("sender");
        BufferedReader stdin = LatencyDriver.stdin();
        InlineListener inline = a.containsKey("inline") ? new InlineListener() : null;
        JoinOptions options = JoinOptions.defaults().sequencer(a.containsKey("sequencer"));
        if (inline != null) {
            options.listenerInline(inline);
        }
        try (DeliveryBoard board = DeliveryBoard.open(Path.of(a.get("board")), 2, members);
             Troupe troupe = connect(a.get("server"));
             Group g = join(troupe, a.get("group"), sender ? LatencyBench.SENDER_ROLE : LatencyBench.MEMBER_ROLE,
                     "m" + index, options)) {
            protocol.println("JOINED");
            protocol.flush();
            Duration patience = Duration.ofNanos(LatencyDriver.FILL_NANOS);
            boolean full = false;
            while (!full) { // a full view taken from the queue: no view change is left to deliver in the run
                Delivery d = inline != null ? inline.beforeRun(patience) : g.receive(patience);
                if (d == null) {
                    throw new IllegalStateException("the group did not fill up: no view change for "
                            + patience.toSeconds() + " s");
                }
                full = d instanceof ViewChange v && v.view().members().size() >= members;
            }
            if (index == 0) {
                System.err.println("# member-" + index + " layers " + String.join(",", g.layers()) + " sequencer "
                        + g.view().sequencer() + " me " + g.me().id());
            }
            protocol.println("READY " + g.view().sequencer() + " " + g.me().id());
            protocol.flush();
            if (!LatencyDriver.awaitGo(stdin)) {
                return;
            }
            LatencyDriver driver = new LatencyDriver(index, msgs, size, kinds, board,
                    Long.parseLong(a.getOrDefault("gap-ms", "0")), Integer.parseInt(a.getOrDefault("warmup", "0")));
            if (inline != null) {
                inline.run(driver);
            } else {
                new Thread(() -> receive(g, driver, kinds.length * msgs), "bench-receiver").start();
            }
            if (sender) {
                Thread s = new Thread(() -> driver.send((kind, payload) -> g.send(LatencyBench.TYPES[kind], payload)),
                        "bench-sender");
                s.start();
                s.join();
            }
            driver.awaitDone();
            driver.finish(Path.of(a.get("out")), protocol, stdin);
        }
    }

    /**
     * Connects, trying again for up to a minute if the server cannot be reached: on a loaded
     * machine a JVM may be too slow to send its first request before the server closes a silent
     * connection.
     */
    private static Troupe connect(String server) throws Exception {
        long deadline = System.nanoTime() + LatencyDriver.QUIET_NANOS;
        while (true) {
            try {
                return Troupe.connect(server);
            } catch (org.troupe.member.TroupeException e) {
                if (e.getMessage() == null || !e.getMessage().contains("cannot reach")
                        || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                System.err.println("# " + e.getMessage() + "; trying again");
                Thread.sleep(500);
            }
        }
    }

    /**
     * Joins, asking again for up to a minute while a cluster says it has no leader for the group
     * right now (an election under load); any other refusal passes through.
     */
    private static Group join(Troupe troupe, String group, String role, String name, JoinOptions options)
            throws Exception {
        long deadline = System.nanoTime() + LatencyDriver.QUIET_NANOS;
        while (true) {
            try {
                return troupe.join(group, role, name, options);
            } catch (org.troupe.member.TroupeException e) {
                if (e.getMessage() == null || !e.getMessage().contains("no leader right now")
                        || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static void receive(Group g, LatencyDriver driver, int total) {
        Duration patience = Duration.ofNanos(LatencyDriver.QUIET_NANOS);
        try {
            for (int got = 0; got < total && driver.log().problem() == null; ) {
                Delivery d = g.receive(patience);
                long now = System.nanoTime();
                if (d == null) {
                    driver.log().fail("nothing delivered for 60 s");
                    return;
                }
                if (d instanceof Received r) {
                    delivered(driver, r, now);
                    got++;
                } else {
                    driver.log().fail("a view change during the run: " + d);
                }
            }
        } catch (Exception e) {
            driver.log().fail("receive failed: " + e);
        }
        driver.wake(); // awaitDone sees a problem that stopped this loop at once
    }

    /** One delivery of the run, stamped {@code now}: checked, then logged. */
    private static void delivered(LatencyDriver driver, Received r, long now) {
        int kind = LatencyBench.kindOf(r.type());
        byte[] p = r.payload();
        if (kind < 0) {
            driver.log().fail("delivered a message of type " + r.type());
        } else if (p.length >= LatencyDriver.HEADER && java.nio.ByteBuffer.wrap(p).getLong(0) != kind) {
            driver.log().fail("delivered a " + r.type() + " whose payload says kind "
                    + java.nio.ByteBuffer.wrap(p).getLong(0));
        }
        driver.delivered(p, 0, p.length, now);
    }

    /**
     * The listener of a member with {@code --inline}: before the run it queues what it gets for
     * the set-up (the views); once the run's driver is given, it stamps and logs each message on
     * the thread that delivered it. A message that came before the driver was given (the sender
     * may be quicker than this member's GO) is logged with the time it came.
     */
    private static final class InlineListener implements org.troupe.member.GroupListener {
        private final java.util.concurrent.BlockingQueue<Delivery> setUp =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.util.List<Received> early = new java.util.ArrayList<>();
        private final java.util.List<Long> earlyTimes = new java.util.ArrayList<>();
        private LatencyDriver driver; // guarded by this

        Delivery beforeRun(Duration patience) throws InterruptedException {
            return setUp.poll(patience.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        synchronized void run(LatencyDriver d) {
            driver = d;
            for (int i = 0; i < early.size(); i++) {
                delivered(d, early.get(i), earlyTimes.get(i));
            }
            early.clear();
        }

        @Override
        public void onMessage(Received r) {
            long now = System.nanoTime();
            LatencyDriver d;
            synchronized (this) {
                d = driver;
                if (d == null) {
                    early.add(r);
                    earlyTimes.add(now);
                    return;
                }
            }
            delivered(d, r, now);
        }

        @Override
        public synchronized void onView(ViewChange v) {
            if (driver == null) {
                setUp.add(v);
            } else {
                driver.log().fail("a view change during the run: " + v);
                driver.wake();
            }
        }

        @Override
        public synchronized void onClosed(String reason) {
            if (driver != null) {
                driver.log().fail("the group closed during the run: " + reason);
                driver.wake();
            }
        }
    }
}
