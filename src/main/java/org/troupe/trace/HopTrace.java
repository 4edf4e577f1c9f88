package org.troupe.trace;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Time stamps ({@link System#nanoTime}) at the points of a message's path, kept in memory and
 * written to the file named by the system property {@code troupe.hops} when the JVM exits
 * normally. Without the property {@link #ON} is false and every {@code if (HopTrace.ON)} on the
 * path is compiled away. Stamps carry no message identity: the reader tells messages apart by
 * time, which works when one message is in flight at a time ({@code bench latency}). At most
 * {@link #CAPACITY} stamps are kept; later ones are dropped.
 */
public final class HopTrace {
    /** True when the JVM records stamps ({@code -Dtroupe.hops=FILE}). */
    public static final boolean ON = System.getProperty("troupe.hops") != null;
    /** Stamps kept per JVM. */
    public static final int CAPACITY = 1 << 21;

    /** The points of a message's path, in path order. */
    public enum Hop {
        /** The application hands the message to the member library (stamped by the bench). */
        SEND("app send"),
        /** The member's GroupManager::send call starts (on its send thread, or the caller's for a turn). */
        SEND_CALL("send call starts"),
        /** An ORB reads bytes from a socket it accepted (the server: the send; a member: a push). */
        READ("socket read"),
        /** The server's GroupManager::send servant is entered. */
        SERVER_ENTER("server servant entered"),
        /** The message's events are queued for every consumer of the group's channel. */
        SERVER_PUBLISHED("server published"),
        /** A push dispatcher starts a push call to one consumer. */
        PUSH_START("push call starts"),
        /** A push call returned. */
        PUSH_END("push call returned"),
        /** A member's push_batch is entered (its ORB read the call and dispatched it). */
        MEMBER_ENTER("member push_batch entered"),
        /** A member's stack queues the delivery for its application. */
        MEMBER_QUEUED("member stack queued it"),
        /** The application has the delivery (stamped by the bench). */
        DELIVERED("app delivered");

        private final String label;

        Hop(String label) {
            this.label = label;
        }

        /** What happens at this point, in a few words. */
        public String label() {
            return label;
        }
    }

    private static final long[] TIMES = ON ? new long[CAPACITY] : new long[0];
    private static final byte[] HOPS = ON ? new byte[CAPACITY] : new byte[0];
    private static final AtomicInteger COUNT = new AtomicInteger();

    static {
        if (ON) {
            Runtime.getRuntime().addShutdownHook(new Thread(HopTrace::write, "troupe-hops-writer"));
        }
    }

    private HopTrace() {
    }

    /** Stamps {@code hop} now; call only under {@code if (HopTrace.ON)}. */
    public static void stamp(Hop hop) {
        int i = COUNT.getAndIncrement();
        if (i < CAPACITY) {
            TIMES[i] = System.nanoTime();
            HOPS[i] = (byte) hop.ordinal();
        }
    }

    /** A JVM's stamps, in the order they were taken: {@code hops[i]} at {@code times[i]}. */
    public record Stamps(Hop[] hops, long[] times) {
    }

    /** Reads a file this class wrote. */
    public static Stamps read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            Hop[] hops = new Hop[n];
            long[] times = new long[n];
            Hop[] all = Hop.values();
            for (int i = 0; i < n; i++) {
                int h = in.readUnsignedByte();
                if (h >= all.length) {
                    throw new IOException(file + ": stamp " + i + " names hop " + h + ", unknown");
                }
                hops[i] = all[h];
                times[i] = in.readLong();
            }
            return new Stamps(hops, times);
        }
    }

    private static void write() {
        int n = Math.min(COUNT.get(), CAPACITY);
        Path file = Path.of(System.getProperty("troupe.hops"));
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(HOPS[i]);
                out.writeLong(TIMES[i]);
            }
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(HopTrace.class).warn("could not write the hop stamps to {}: {}", file,
                    e.toString());
        }
    }
}
