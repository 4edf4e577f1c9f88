package org.troupe.member.process;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.troupe.bench.ParentWatch;
import org.troupe.member.Group;
import org.troupe.member.GroupClosedException;
import org.troupe.member.Query;
import org.troupe.member.RefusedException;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.Turn;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.TypeRule;
import org.troupe.server.JavaProcess;

/**
 * Test child: one member of a group made from an application protocol (the card game, the
 * tele-teaching protocol), in its own JVM with its own ORB, driven line by line from stdin.
 *
 * <pre>
 * ProtocolMember URL GROUP ROLE NAME
 * </pre>
 *
 * ROLE may hold spaces ({@code Player 1}); NAME, message types and texts may not. Stdout carries
 * one line per event, flushed at once (logs go to stderr):
 * <ul>
 *   <li>{@code JOINED <memberId>}: joined;
 *   <li>{@code V <seqId> <viewId> <names> joined=<names> left=<names> crashed=<names>}: a view
 *       change, in delivery order (names comma-separated, members in join order, {@code -} for
 *       none);
 *   <li>{@code M <seqId> <senderName> <type> <text>}: a message, in delivery order (the payload
 *       as UTF-8 text);
 *   <li>{@code QUERY <text> <outcome> responders=<names> missing=<names>}: the query asked as
 *       {@code <text>} completed ({@link Query.Outcome}; responders in delivery order; missing:
 *       the members of the responding roles in the view of that moment that did not respond).
 * </ul>
 * Stdin commands, one at a time, each answered by one line (TEXT names the command's message
 * and must be unique per member to tell the replies apart):
 * <ul>
 *   <li>{@code SEND <type> <text>} ({@link Group#send}; a turn such as the card game's Play is
 *       sent at once): {@code SENT <text>};
 *   <li>{@code ASK <type> <text>} ({@link Group#ask}): {@code ASKED <text>}, and later the
 *       {@code QUERY} line;
 *   <li>{@code REPLY <type> <text>} ({@link Group#reply}) to the last delivered message that a
 *       {@code <type>} answers: {@code SENT <text>} ({@code FAILED <text> nothing to reply to}
 *       if none was delivered);
 *   <li>{@code STATUS <text>}: {@code STATUS <text> <outcome> responders=<names> missing=<names>},
 *       the query asked as {@code <text>} as it stands;
 *   <li>{@code TURN <type>} ({@link Group#turn}): {@code TURN <type> round=<r> step=<s>/<n>
 *       role=<role>} (round and step 1-based; role {@code -} for anyone), or {@code TURN <type> -}
 *       if no turn-based pattern has the type;
 *   <li>{@code LEAVE}: {@code LEFT}, then the process exits with 0. End of stdin is a quiet
 *       {@code LEAVE}.
 * </ul>
 * A send, ask or reply the group refuses ({@link RefusedException}: out of turn, a response to a
 * closed query...) is answered by {@code REFUSED <text> <reason>}, any other failure by
 * {@code FAILED <text> <error>}; the member stays in the group. A malformed command is answered
 * by {@code ERROR <why>}. Removed from the group unexpectedly (crashed, the server gone): a line
 * on stderr starting with {@code ProtocolMember NAME: } and exit code 2.
 *
 * <p>{@link Child} is the parent's side: it starts this class and reads its lines.
 */
public final class ProtocolMember {
    /** Exit code when the member is out of the group without having asked to leave. */
    public static final int EXIT_REMOVED = 2;
    /** Exit code for bad arguments or a failed join. */
    public static final int EXIT_USAGE = 64;

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
            StandardCharsets.UTF_8);

    private final String name;
    private final Group group;
    private final Map<String, Query> queries = new ConcurrentHashMap<>();
    /** The last delivered message of each type, by delivery number: what {@code REPLY} answers. */
    private final Map<String, Delivered> lastOfType = new HashMap<>();
    private long delivered;
    private volatile boolean leaving;

    private record Delivered(long number, Received message) {
    }

    private ProtocolMember(String name, Group group) {
        this.name = name;
        this.group = group;
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent(); // no orphans if the test JVM dies
        if (args.length != 4) {
            System.err.println("ProtocolMember: expected URL GROUP ROLE NAME, got " + List.of(args));
            Runtime.getRuntime().halt(EXIT_USAGE);
        }
        String url = args[0];
        String groupName = args[1];
        String role = args[2];
        String name = args[3];
        Troupe troupe;
        Group g;
        try {
            troupe = Troupe.connect(url);
            g = troupe.join(groupName, role, name);
        } catch (TroupeException e) {
            System.err.println("ProtocolMember " + name + ": cannot join group " + groupName + ": " + e.getMessage());
            Runtime.getRuntime().halt(EXIT_USAGE);
            return;
        }
        out("JOINED " + g.me().id());
        ProtocolMember me = new ProtocolMember(name, g);
        Thread receiver = new Thread(me::receiveLoop, "protocol-member-receive");
        receiver.setDaemon(true);
        receiver.start();
        me.commands(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), receiver, troupe);
    }

    private void commands(BufferedReader stdin, Thread receiver, Troupe troupe) throws Exception {
        String line;
        while ((line = stdin.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            try {
                switch (f[0]) {
                    case "SEND", "ASK", "REPLY" -> {
                        expect(f, 3, "<type> <text>");
                        message(f[0], f[1], f[2]);
                    }
                    case "STATUS" -> {
                        expect(f, 2, "<text>");
                        Query q = queries.get(f[1]);
                        out(q == null ? "ERROR no query asked as " + f[1] : "STATUS " + f[1] + " " + describe(q));
                    }
                    case "TURN" -> {
                        expect(f, 2, "<type>");
                        Turn t = group.turn(f[1]);
                        out("TURN " + f[1] + " " + (t == null ? "-" : "round=" + (t.round() + 1) + " step="
                                + (t.step() + 1) + "/" + t.steps() + " role=" + (t.role() == null ? "-" : t.role())));
                    }
                    case "LEAVE" -> {
                        expect(f, 1, "");
                        leave(receiver, troupe);
                        out("LEFT");
                        Runtime.getRuntime().halt(0);
                    }
                    default -> throw new IllegalArgumentException("unknown command '" + line + "'");
                }
            } catch (IllegalArgumentException e) {
                System.err.println("ProtocolMember " + name + ": " + e.getMessage());
                out("ERROR " + e.getMessage());
            }
        }
        leave(receiver, troupe); // stdin closed: the test is over
        Runtime.getRuntime().halt(0);
    }

    private static void expect(String[] f, int n, String usage) {
        if (f.length != n) {
            throw new IllegalArgumentException("usage: " + f[0] + (usage.isEmpty() ? "" : " " + usage) + " (got "
                    + String.join(" ", f) + ")");
        }
    }

    /** SEND, ASK or REPLY a message of {@code type} whose payload is {@code text}. */
    private void message(String command, String type, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        try {
            switch (command) {
                case "SEND" -> {
                    group.send(type, payload);
                    out("SENT " + text);
                }
                case "ASK" -> {
                    if (queries.containsKey(text)) {
                        throw new IllegalArgumentException("a query was asked as " + text + " already");
                    }
                    Query q = group.ask(type, payload);
                    queries.put(text, q);
                    out("ASKED " + text);
                    q.onDone(done -> out("QUERY " + text + " " + describe(done)));
                }
                default -> {
                    Received query = lastAnswerable(type);
                    if (query == null) {
                        out("FAILED " + text + " nothing to reply to: no message a " + type + " answers was delivered");
                        return;
                    }
                    group.reply(query, type, payload);
                    out("SENT " + text);
                }
            }
        } catch (RefusedException e) {
            out("REFUSED " + text + " " + e.getMessage());
        } catch (TroupeException e) {
            out("FAILED " + text + " " + e.getMessage());
        }
    }

    /** The last delivered message that a {@code type} answers, or null. */
    private Received lastAnswerable(String type) {
        TypeRule rule = group.protocol().rule(type);
        if (rule == null) {
            return null; // reply() says what is wrong with the type
        }
        Delivered last = null;
        synchronized (lastOfType) {
            for (String answered : rule.answers()) {
                Delivered d = lastOfType.get(answered);
                if (d != null && (last == null || d.number() > last.number())) {
                    last = d;
                }
            }
        }
        return last == null ? null : last.message();
    }

    private static String describe(Query q) {
        List<String> responders = new ArrayList<>();
        for (MemberInfo m : q.responders()) {
            responders.add(m.name());
        }
        List<String> missing = new ArrayList<>();
        for (MemberInfo m : q.missing()) {
            missing.add(m.name());
        }
        return q.outcome() + " responders=" + names(responders) + " missing=" + names(missing);
    }

    private void leave(Thread receiver, Troupe troupe) throws InterruptedException {
        leaving = true;
        group.leave();
        receiver.join(5000); // prints what was delivered before the leave
        troupe.close();
    }

    private void receiveLoop() {
        try {
            while (true) {
                Delivery d = group.receive();
                if (d instanceof Received r) {
                    synchronized (lastOfType) {
                        lastOfType.put(r.type(), new Delivered(++delivered, r));
                    }
                    out("M " + r.sequenceId() + " " + r.sender().name() + " " + r.type() + " " + r.text());
                } else if (d instanceof ViewChange v) {
                    out("V " + v.sequenceId() + " " + v.view().id() + " " + memberNames(v.view().members())
                            + " joined=" + memberNames(v.joined()) + " left=" + memberNames(v.left()) + " crashed="
                            + memberNames(v.crashed()));
                }
            }
        } catch (GroupClosedException e) {
            if (!leaving) {
                System.err.println("ProtocolMember " + name + ": removed from group " + group.name()
                        + " unexpectedly: " + e.getMessage());
                OUT.flush();
                Runtime.getRuntime().halt(EXIT_REMOVED);
            }
        } catch (TroupeException e) {
            System.err.println("ProtocolMember " + name + ": receive failed: " + e);
            OUT.flush();
            Runtime.getRuntime().halt(EXIT_REMOVED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String memberNames(List<MemberInfo> members) {
        List<String> out = new ArrayList<>();
        for (MemberInfo m : members) {
            out.add(m.name());
        }
        return names(out);
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "-" : String.join(",", names);
    }

    private static void out(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    /**
     * The parent's side of one {@link ProtocolMember} child: starts it, sends it commands, waits
     * for its lines (every wait has a time-out) and parses its deliveries. {@link #close} kills
     * the child if it still runs.
     */
    static final class Child implements AutoCloseable {
        private final String name;
        private final String role;
        private final JavaProcess process;
        private final Map<String, Integer> repliesSeen = new HashMap<>();

        private Child(String name, String role, JavaProcess process) {
            this.name = name;
            this.role = role;
            this.process = process;
        }

        /** Starts a child that joins {@code group} of {@code cluster} as {@code name} in {@code role}; does not wait. */
        static Child start(ProcessCluster cluster, String group, String role, String name) throws IOException {
            return new Child(name, role, JavaProcess.start(group + "-" + name, ProcessCluster.MEMBER_JVM_ARGS,
                    ProtocolMember.class, List.of(cluster.url(), group, role, name)));
        }

        String name() {
            return name;
        }

        String role() {
            return role;
        }

        JavaProcess process() {
            return process;
        }

        /** Waits for {@code JOINED <id>}; returns the id. */
        long awaitJoined(long timeoutMillis) throws TimeoutException, InterruptedException {
            return Long.parseLong(process.awaitPrefix("JOINED ", timeoutMillis).substring("JOINED ".length()).trim());
        }

        /**
         * Sends {@code command} and waits for its reply: the n-th line starting with one of
         * {@code replies} for the n-th command with the same first word (TURN, STATUS).
         */
        String call(String command, long timeoutMillis, String... replies)
                throws IOException, TimeoutException, InterruptedException {
            process.send(command);
            return awaitReply(command, timeoutMillis, replies);
        }

        /**
         * Sends a SEND, ASK or REPLY command for {@code text} (unique per child) and waits for its
         * reply line ({@code SENT}/{@code ASKED}, {@code REFUSED}, {@code FAILED}).
         */
        String message(String command, String type, String text, long timeoutMillis)
                throws IOException, TimeoutException, InterruptedException {
            process.send(command + " " + type + " " + text);
            return process.awaitLine(l -> l.equals("SENT " + text) || l.equals("ASKED " + text)
                    || l.startsWith("REFUSED " + text + " ") || l.startsWith("FAILED " + text + " ")
                    || l.startsWith("ERROR "), "the reply to " + command + " " + type + " " + text, timeoutMillis);
        }

        /** Counts replies per command word, so each call gets the line its own command caused. */
        private String awaitReply(String command, long timeoutMillis, String... replies)
                throws TimeoutException, InterruptedException {
            String key = command.split(" ", 2)[0];
            int skip = repliesSeen.merge(key, 1, Integer::sum) - 1;
            int[] seen = {0};
            Predicate<String> isReply = l -> List.of(replies).stream().anyMatch(l::startsWith);
            return process.awaitLine(l -> isReply.test(l) && seen[0]++ == skip, "the reply to '" + command + "'",
                    timeoutMillis);
        }

        /** Waits for the {@code QUERY} line of the query asked as {@code text}. */
        String awaitQuery(String text, long timeoutMillis) throws TimeoutException, InterruptedException {
            return process.awaitPrefix("QUERY " + text + " ", timeoutMillis);
        }

        /** Waits until the message {@code text} of {@code type} from {@code sender} is delivered. */
        Delivered awaitMessage(String sender, String type, String text, long timeoutMillis)
                throws TimeoutException, InterruptedException {
            return Delivered.parse(process.awaitLine(l -> l.startsWith("M ")
                    && Delivered.parse(l).is(sender, type, text), type + " '" + text + "' from " + sender
                    + " delivered to " + name, timeoutMillis));
        }

        /** Waits until a view that matches is delivered; returns its line. */
        Delivered awaitView(Predicate<Delivered> match, String what, long timeoutMillis)
                throws TimeoutException, InterruptedException {
            return Delivered.parse(process.awaitLine(l -> l.startsWith("V ") && match.test(Delivered.parse(l)),
                    what + " delivered to " + name, timeoutMillis));
        }

        /** Every delivery so far (views and messages), in order. */
        List<Delivered> deliveries() {
            List<Delivered> out = new ArrayList<>();
            for (String l : process.lines()) {
                if (l.startsWith("V ") || l.startsWith("M ")) {
                    out.add(Delivered.parse(l));
                }
            }
            return out;
        }

        /** The messages delivered so far, in order. */
        List<Delivered> messages() {
            return deliveries().stream().filter(d -> !d.isView()).toList();
        }

        /** Sends {@code LEAVE} and waits for the process to exit; returns its exit code. */
        int leave(long timeoutMillis) throws IOException, TimeoutException, InterruptedException {
            process.send("LEAVE");
            process.awaitLine(l -> l.equals("LEFT"), "LEFT", timeoutMillis);
            return process.awaitExit(timeoutMillis);
        }

        @Override
        public void close() {
            process.close();
        }

        @Override
        public String toString() {
            return name + "(" + role + ")";
        }

        /**
         * One delivery line: a view ({@code members} and {@code crashed} filled in) or a message
         * ({@code sender}, {@code type}, {@code text}).
         */
        record Delivered(String raw, boolean isView, long seq, long viewId, List<String> members, List<String> crashed,
                String sender, String type, String text) {

            static Delivered parse(String l) {
                try {
                    if (l.startsWith("V ")) {
                        String[] f = l.split(" ");
                        if (f.length != 7 || !f[6].startsWith("crashed=")) {
                            throw new IllegalArgumentException("bad view line");
                        }
                        return new Delivered(l, true, Long.parseLong(f[1]), Long.parseLong(f[2]), list(f[3]),
                                list(f[6].substring("crashed=".length())), "", "", "");
                    }
                    String[] f = l.split(" ", 5);
                    if (f.length != 5 || !f[0].equals("M")) {
                        throw new IllegalArgumentException("bad message line");
                    }
                    return new Delivered(l, false, Long.parseLong(f[1]), 0, List.of(), List.of(), f[2], f[3], f[4]);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("cannot parse delivery line '" + l + "': " + e, e);
                }
            }

            private static List<String> list(String names) {
                return names.equals("-") ? List.of() : List.of(names.split(","));
            }

            boolean is(String sender, String type, String text) {
                return !isView && this.sender.equals(sender) && this.type.equals(type) && this.text.equals(text);
            }

            @Override
            public String toString() {
                return raw;
            }
        }
    }
}
