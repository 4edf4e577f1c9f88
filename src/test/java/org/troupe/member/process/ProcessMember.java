package org.troupe.member.process;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.troupe.bench.ParentWatch;
import org.troupe.member.Group;
import org.troupe.member.GroupClosedException;
import org.troupe.member.JoinOptions;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;

/**
 * Test child: one group member in its own JVM, with its own ORB.
 *
 * <pre>
 * ProcessMember URL GROUP ROLE NAME [--sequencer] [--send N] [--max-delay-ms D] [--type T] [--join-on-stdin]
 * </pre>
 *
 * Stdout carries one line per event, flushed at once (logs go to stderr):
 * <ul>
 *   <li>{@code READY}: connected, waiting for {@code JOIN} (only with {@code --join-on-stdin});
 *   <li>{@code JOINED <memberId>}: joined;
 *   <li>{@code V <seqId> <viewId> <id,id,...> seq=<holderId>}: a view change, in delivery order
 *       (members in join order, {@code -} for none; holder 0 is the server);
 *   <li>{@code M <seqId> <senderId> <text>}: a message, in delivery order (payloads are UTF-8
 *       text {@code <name>:<k>});
 *   <li>{@code SENT}: the N messages {@code NAME:1 .. NAME:N} are sent and flushed to the server;
 *   <li>{@code LEFT}: left the group (then the process exits with 0).
 * </ul>
 * Stdin commands: {@code JOIN} (with {@code --join-on-stdin}), {@code SEND} (start sending, with a
 * random pause of 0..D ms after each message, seeded by the name), {@code LEAVE}. End of stdin is
 * a quiet {@code LEAVE}. Removed from the group unexpectedly (crashed, the server gone, a refused
 * send): a line on stderr starting with {@code ProcessMember NAME: } and exit code 2 (3 for a
 * failed send).
 */
public final class ProcessMember {
    /** Exit code when the member is out of the group without having asked to leave. */
    public static final int EXIT_REMOVED = 2;
    /** Exit code when sending failed. */
    public static final int EXIT_SEND_FAILED = 3;
    /** Exit code for bad arguments or a failed join. */
    public static final int EXIT_USAGE = 64;

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
            StandardCharsets.UTF_8);

    private final String name;
    private final Group group;
    private final int sendCount;
    private final int maxDelayMs;
    private final String type;
    private volatile boolean leaving;

    private ProcessMember(String name, Group group, int sendCount, int maxDelayMs, String type) {
        this.name = name;
        this.group = group;
        this.sendCount = sendCount;
        this.maxDelayMs = maxDelayMs;
        this.type = type;
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent(); // no orphans if the test JVM dies
        List<String> pos = new ArrayList<>();
        boolean sequencer = false;
        boolean joinOnStdin = false;
        int send = 0;
        int maxDelay = 0;
        String type = "Answer";
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--sequencer" -> sequencer = true;
                    case "--join-on-stdin" -> joinOnStdin = true;
                    case "--send", "--senders-send" -> send = Integer.parseInt(args[++i]);
                    case "--max-delay-ms" -> maxDelay = Integer.parseInt(args[++i]);
                    case "--type" -> type = args[++i];
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        pos.add(args[i]);
                    }
                }
            }
            if (pos.size() != 4 || send < 0 || maxDelay < 0) {
                throw new IllegalArgumentException("expected URL GROUP ROLE NAME [options], got " + List.of(args));
            }
        } catch (RuntimeException e) {
            System.err.println("ProcessMember: " + e.getMessage());
            System.err.println("usage: ProcessMember URL GROUP ROLE NAME [--sequencer] [--send N] [--max-delay-ms D]"
                    + " [--type T] [--join-on-stdin]");
            Runtime.getRuntime().halt(EXIT_USAGE);
        }
        String url = pos.get(0);
        String groupName = pos.get(1);
        String role = pos.get(2);
        String name = pos.get(3);

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Troupe troupe;
        Group g;
        try {
            troupe = Troupe.connect(url);
            if (joinOnStdin) {
                out("READY");
                String line;
                while ((line = stdin.readLine()) != null && !line.trim().equals("JOIN")) {
                    System.err.println("ProcessMember " + name + ": ignoring '" + line + "' before JOIN");
                }
                if (line == null) {
                    Runtime.getRuntime().halt(0);
                }
            }
            g = troupe.join(groupName, role, name, JoinOptions.defaults().sequencer(sequencer));
        } catch (TroupeException e) {
            System.err.println("ProcessMember " + name + ": cannot join group " + groupName + ": " + e.getMessage());
            Runtime.getRuntime().halt(EXIT_USAGE);
            return;
        }
        out("JOINED " + g.me().id());
        ProcessMember me = new ProcessMember(name, g, send, maxDelay, type);
        Thread receiver = new Thread(me::receiveLoop, "process-member-receive");
        receiver.setDaemon(true);
        receiver.start();
        me.commands(stdin, receiver, troupe);
    }

    private void commands(BufferedReader stdin, Thread receiver, Troupe troupe) throws Exception {
        Thread sender = null;
        String line;
        while ((line = stdin.readLine()) != null) {
            switch (line.trim()) {
                case "SEND" -> {
                    if (sender == null) {
                        sender = new Thread(this::sendLoop, "process-member-send");
                        sender.setDaemon(true);
                        sender.start();
                    }
                }
                case "LEAVE" -> {
                    leave(receiver, troupe);
                    out("LEFT");
                    OUT.flush();
                    Runtime.getRuntime().halt(0);
                }
                case "" -> {
                }
                default -> System.err.println("ProcessMember " + name + ": unknown command '" + line + "'");
            }
        }
        leave(receiver, troupe); // stdin closed: the test is over
        Runtime.getRuntime().halt(0);
    }

    private void leave(Thread receiver, Troupe troupe) throws InterruptedException {
        leaving = true;
        group.leave();
        receiver.join(5000); // prints what was delivered before the leave
        troupe.close();
    }

    private void sendLoop() {
        Random random = new Random(name.hashCode());
        try {
            for (int k = 1; k <= sendCount && !leaving; k++) {
                group.send(type, (name + ":" + k).getBytes(StandardCharsets.UTF_8));
                if (maxDelayMs > 0) {
                    Thread.sleep(random.nextInt(maxDelayMs + 1));
                }
            }
            if (!group.flush(Duration.ofSeconds(30))) {
                throw new TroupeException("flush did not complete within 30 s"
                        + (group.closedReason() != null ? ": " + group.closedReason() : ""));
            }
            out("SENT");
        } catch (TroupeException | RuntimeException e) {
            if (leaving) {
                return;
            }
            System.err.println("ProcessMember " + name + ": sending failed: " + e);
            OUT.flush();
            Runtime.getRuntime().halt(EXIT_SEND_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void receiveLoop() {
        try {
            while (true) {
                Delivery d = group.receive();
                if (d instanceof Received r) {
                    out("M " + r.sequenceId() + " " + r.message().source() + " " + r.text());
                } else if (d instanceof ViewChange v) {
                    out(viewLine(v));
                }
            }
        } catch (GroupClosedException e) {
            if (!leaving) {
                System.err.println("ProcessMember " + name + ": removed from group " + group.name()
                        + " unexpectedly: " + e.getMessage());
                OUT.flush();
                Runtime.getRuntime().halt(EXIT_REMOVED);
            }
        } catch (TroupeException e) {
            System.err.println("ProcessMember " + name + ": receive failed: " + e);
            OUT.flush();
            Runtime.getRuntime().halt(EXIT_REMOVED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String viewLine(ViewChange v) {
        StringJoiner ids = new StringJoiner(",");
        for (MemberInfo m : v.view().members()) {
            ids.add(Long.toString(m.id()));
        }
        String list = v.view().members().isEmpty() ? "-" : ids.toString();
        return "V " + v.sequenceId() + " " + v.view().id() + " " + list + " seq=" + v.view().sequencer();
    }

    private static void out(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }
}
