package org.troupe.member.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.troupe.server.JavaProcess;

/** Test helper: one {@link ProcessMember} child, its id once joined, and its deliveries parsed. */
final class Member {
    private final String name;
    private final JavaProcess process;
    private long id = -1;

    Member(String name, JavaProcess process) {
        this.name = name;
        this.process = process;
    }

    /** A member without a process, for checking recorded sequences. */
    static Member recorded(String name, long id) {
        Member m = new Member(name, null);
        m.id = id;
        return m;
    }

    String name() {
        return name;
    }

    JavaProcess process() {
        return process;
    }

    /** The member id (after {@link #awaitJoined}). */
    long id() {
        if (id < 0) {
            throw new IllegalStateException(name + " has not joined yet");
        }
        return id;
    }

    /** Waits for {@code READY} (started with {@code --join-on-stdin}). */
    Member awaitReady(long timeoutMillis) throws TimeoutException, InterruptedException {
        process.awaitLine(l -> l.equals("READY"), "READY", timeoutMillis);
        return this;
    }

    /** Waits for {@code JOINED <id>}; returns the id. */
    long awaitJoined(long timeoutMillis) throws TimeoutException, InterruptedException {
        String line = process.awaitPrefix("JOINED ", timeoutMillis);
        id = Long.parseLong(line.substring("JOINED ".length()).trim());
        return id;
    }

    void command(String line) throws IOException {
        process.send(line);
    }

    /** Waits for a delivery line that matches; returns it. */
    Line awaitDelivery(Predicate<Line> match, String what, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        return Line.parse(process.awaitLine(l -> Line.isDelivery(l) && match.test(Line.parse(l)),
                what + " delivered to " + name, timeoutMillis));
    }

    /** Waits until the message {@code text} is delivered. */
    Line awaitMessage(String text, long timeoutMillis) throws TimeoutException, InterruptedException {
        return awaitDelivery(l -> l.isMessage() && l.text().equals(text), "message '" + text + "'", timeoutMillis);
    }

    /** Waits until {@code n} messages are delivered. */
    void awaitMessages(int n, long timeoutMillis) throws TimeoutException, InterruptedException {
        int[] count = {0};
        process.awaitLine(l -> l.startsWith("M ") && ++count[0] >= n, n + " messages delivered to " + name,
                timeoutMillis);
    }

    /** Every delivery so far, in order. */
    List<Line> deliveries() {
        List<Line> out = new ArrayList<>();
        for (String l : process.lines()) {
            if (Line.isDelivery(l)) {
                out.add(Line.parse(l));
            }
        }
        return out;
    }

    /** How many messages were delivered so far. */
    long messageCount() {
        return process.lines().stream().filter(l -> l.startsWith("M ")).count();
    }

    @Override
    public String toString() {
        return name + (id >= 0 ? "#" + id : "");
    }

    /**
     * One delivery line: {@code V seq viewId ids seq=holder} or {@code M seq sender text}; for a
     * message whose text is {@code name:k}, {@code senderName} and {@code k} are filled in.
     */
    record Line(String raw, boolean isView, long seq, long viewId, List<Long> members, long holder, long sender,
            String text, String senderName, int k) {

        static boolean isDelivery(String l) {
            return l.startsWith("V ") || l.startsWith("M ");
        }

        boolean isMessage() {
            return !isView;
        }

        static Line parse(String l) {
            try {
                if (l.startsWith("V ")) {
                    String[] f = l.split(" ");
                    if (f.length != 5 || !f[4].startsWith("seq=")) {
                        throw new IllegalArgumentException("bad view line");
                    }
                    List<Long> ids = new ArrayList<>();
                    if (!f[3].equals("-")) {
                        for (String s : f[3].split(",")) {
                            ids.add(Long.parseLong(s));
                        }
                    }
                    return new Line(l, true, Long.parseLong(f[1]), Long.parseLong(f[2]), List.copyOf(ids),
                            Long.parseLong(f[4].substring(4)), 0, "", "", 0);
                }
                String[] f = l.split(" ", 4);
                String text = f[3];
                int colon = text.lastIndexOf(':');
                String who = colon > 0 ? text.substring(0, colon) : "";
                int k = colon > 0 ? Integer.parseInt(text.substring(colon + 1)) : -1;
                return new Line(l, false, Long.parseLong(f[1]), 0, List.of(), 0, Long.parseLong(f[2]), text, who, k);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cannot parse delivery line '" + l + "': " + e, e);
            }
        }

        @Override
        public String toString() {
            return raw;
        }
    }
}
