package org.troupe.bench.jgroups;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.slf4j.LoggerFactory;
import org.troupe.bench.ParentWatch;

/**
 * One JGroups member of {@code troupe bench total-order --compare jgroups}: a child JVM that the bench
 * coordinator drives over stdin and stdout, the JGroups counterpart of the Troupe member child.
 *
 * <p>Arguments: {@code --index I --members N --senders K --size S --per-sender P --out FILE
 * --ports p0,...,pN-1 --cluster NAME [--fd-offset D]}. The member binds TCP to 127.0.0.1:pI and
 * FD_SOCK2 to 127.0.0.1:pI+D (D: 100 unless given; the coordinator picks ports and D with
 * {@link JGroupsPorts}), finds the others with TCPPING over all the ports, and uses the stack
 * {@value #STACK} (SEQUENCER total order).
 *
 * <p>Protocol, stdout carrying only these lines (logs and anything a library prints go to stderr):
 * prints {@code READY} once its view has N members; waits for {@code GO} on stdin; members with
 * I &lt; K send P messages of S bytes (big-endian longs I, k, send time in epoch microseconds, then
 * zeros); every member records the K*P deliveries, writes FILE (see {@link DeliveryRecorder#write}) and
 * prints {@code DONE}; then waits for {@code EXIT} or the end of stdin, closes the channel and exits.
 */
public final class JGroupsOrderMember {
    /** The JGroups stack, a class path resource. */
    public static final String STACK = "troupe-jgroups-sequencer.xml";

    private JGroupsOrderMember() {
    }

    public static void main(String[] args) {
        ParentWatch.haltWithParent();
        // stdout is the protocol: keep it to ourselves, and send whatever else prints there to stderr.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jgroups member: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try {
            code = run(options, protocol);
        } catch (Exception | Error t) {
            org.slf4j.LoggerFactory.getLogger(JGroupsOrderMember.class).error("jgroups member: failed", t);
            code = 1;
        }
        System.err.flush();
        System.exit(code);
    }

    private static int run(Options o, PrintStream protocol) throws Exception {
        System.setProperty("jgroups.tcp.port", Integer.toString(o.ports.get(o.index)));
        System.setProperty("jgroups.fd_sock2.offset", Integer.toString(o.fdOffset));
        StringBuilder hosts = new StringBuilder();
        for (int port : o.ports) {
            if (hosts.length() > 0) {
                hosts.append(',');
            }
            hosts.append("127.0.0.1[").append(port).append(']');
        }
        System.setProperty("jgroups.tcpping.initial_hosts", hosts.toString());

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        DeliveryRecorder recorder = new DeliveryRecorder(o.members, o.senders, o.perSender);
        try (JChannel channel = new JChannel(STACK)) {
            channel.name("jg" + o.index);
            channel.setReceiver(recorder);
            channel.connect(o.cluster);
            while (!recorder.awaitView(1, TimeUnit.SECONDS)) {
                // the coordinator times out and kills us if the view never fills
            }
            protocol.println("READY");
            protocol.flush();

            if (!awaitLine(stdin, "GO")) {
                System.err.println("jgroups member " + o.index + ": stdin ended before GO");
                return 1;
            }
            if (o.index < o.senders) {
                for (int k = 0; k < o.perSender; k++) {
                    byte[] payload = org.troupe.bench.OrderRecorder.payload(o.size, o.index, k);
                    channel.send(new BytesMessage(null, payload)); // blocks while flow control says so
                }
            }
            recorder.awaitAllDelivered();
            recorder.write(o.out);
            protocol.println("DONE");
            protocol.flush();

            awaitLine(stdin, "EXIT");
            // Members leave together: TCP reports the connections the others closed under it.
            quietJGroupsLogs();
        }
        return 0;
    }

    /** Turns JGroups' logging off, where Logback is the SLF4J back end (it is in troupe.jar). */
    private static void quietJGroupsLogs() {
        if (LoggerFactory.getLogger("org.jgroups") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }

    /** Reads stdin up to a line {@code word}; false at the end of stdin. */
    private static boolean awaitLine(BufferedReader in, String word) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals(word)) {
                return true;
            }
        }
        return false;
    }

    /** The command line: {@code --key value} pairs. */
    static final class Options {
        int index = -1;
        int members = -1;
        int senders = -1;
        int size = -1;
        int perSender = -1;
        Path out;
        List<Integer> ports;
        int fdOffset = 100;
        String cluster;

        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --key value pairs, got " + String.join(" ", args));
                }
                m.put(args[i].substring(2), args[i + 1]);
            }
            Options o = new Options();
            o.index = intArg(m, "index");
            o.members = intArg(m, "members");
            o.senders = intArg(m, "senders");
            o.size = intArg(m, "size");
            o.perSender = intArg(m, "per-sender");
            o.out = Path.of(required(m, "out"));
            o.cluster = required(m, "cluster");
            if (m.containsKey("fd-offset")) {
                o.fdOffset = intArg(m, "fd-offset");
            }
            o.ports = new ArrayList<>();
            for (String p : required(m, "ports").split(",")) {
                o.ports.add(Integer.parseInt(p.trim()));
            }
            if (o.members < 1 || o.index < 0 || o.index >= o.members) {
                throw new IllegalArgumentException("need 0 <= index < members");
            }
            if (o.senders < 0 || o.senders > o.members) {
                throw new IllegalArgumentException("need 0 <= senders <= members");
            }
            if (o.size < 24) {
                throw new IllegalArgumentException("need size >= 24 (the bench header)");
            }
            if (o.perSender < 0) {
                throw new IllegalArgumentException("need per-sender >= 0");
            }
            if (o.ports.size() != o.members) {
                throw new IllegalArgumentException("need one port per member, got " + o.ports.size());
            }
            return o;
        }

        private static String required(Map<String, String> m, String key) {
            String v = m.get(key);
            if (v == null) {
                throw new IllegalArgumentException("missing --" + key);
            }
            return v;
        }

        private static int intArg(Map<String, String> m, String key) {
            try {
                return Integer.parseInt(required(m, key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + " needs a number");
            }
        }
    }
}
