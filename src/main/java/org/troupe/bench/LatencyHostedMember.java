package org.troupe.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.omg.CORBA.ORB;
import org.troupe.idl.Hosted.Closed;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.HostedMembers;
import org.troupe.idl.Hosted.HostedMembersHelper;
import org.troupe.orb.OrbFactory;

/**
 * A hosted member of {@code bench latency --hosted}: an IDL-only client (its own ORB and the
 * generated stubs, no Troupe member library, as a C++ client) that asks the server to host a
 * member ({@code HostedMembers::host_member}, pull mode) and loops on {@code receive}. Each
 * delivery is stamped with {@link System#nanoTime} when {@code receive} returns it. Same protocol
 * and arguments as {@link LatencyMember} (never the sender, never a sequencer volunteer);
 * {@code --server} is one server's {@code host:port}.
 */
public final class LatencyHostedMember {
    private LatencyHostedMember() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].substring(2), args[i + 1]);
        }
        int index = Integer.parseInt(a.get("index"));
        int members = Integer.parseInt(a.get("members"));
        int msgs = Integer.parseInt(a.get("msgs"));
        int size = Integer.parseInt(a.get("size"));
        int[] kinds = java.util.Arrays.stream(a.get("kinds").split(",")).mapToInt(Integer::parseInt).toArray();
        String server = a.get("server").split(",")[0];
        BufferedReader stdin = LatencyDriver.stdin();
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 30_000));
        try (DeliveryBoard board = DeliveryBoard.open(Path.of(a.get("board")), 2, members)) {
            HostedMembers factory = HostedMembersHelper.narrow(orb.string_to_object("corbaloc:iiop:" + server + "/"
                    + OrbFactory.HOSTED_KEY)).reference();
            HostedMember m = factory.host_member(a.get("group"), LatencyBench.MEMBER_ROLE, "h" + index, null);
            protocol.println("JOINED");
            protocol.flush();
            long deadline = System.nanoTime() + LatencyDriver.FILL_NANOS;
            boolean full = false;
            while (!full) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the group did not fill up within 300 s");
                }
                for (Delivery d : m.receive(1000, 200)) {
                    full = d.discriminator() == DeliveryKind.VIEW_DELIVERY && d.view().view.members.length >= members;
                }
            }
            protocol.println("READY " + m.view().sequencer + " " + m.me().id);
            protocol.flush();
            if (!LatencyDriver.awaitGo(stdin)) {
                return;
            }
            LatencyDriver driver = new LatencyDriver(index, msgs, size, kinds, board);
            Thread receiver = new Thread(() -> receive(m, driver, kinds.length * msgs), "bench-receiver");
            receiver.start();
            driver.awaitDone();
            driver.finish(Path.of(a.get("out")), protocol, stdin);
        } finally {
            orb.shutdown(false);
        }
    }

    private static void receive(HostedMember m, LatencyDriver driver, int total) {
        long lastProgress = System.nanoTime();
        try {
            for (int got = 0; got < total && driver.log().problem() == null; ) {
                Delivery[] ds = m.receive(1000, 200);
                long now = System.nanoTime();
                if (ds.length == 0 && now - lastProgress > LatencyDriver.QUIET_NANOS) {
                    driver.log().fail("nothing delivered for 60 s");
                    break;
                }
                for (Delivery d : ds) {
                    lastProgress = now;
                    if (d.discriminator() == DeliveryKind.MESSAGE_DELIVERY) {
                        int kind = LatencyBench.kindOf(d.message().message_type);
                        if (kind < 0) {
                            driver.log().fail("delivered a message of type " + d.message().message_type);
                        }
                        byte[] p = d.message().payload;
                        driver.delivered(p, 0, p.length, now);
                        got++;
                    } else {
                        driver.log().fail("a delivery other than a message during the run: " + d.discriminator().value());
                    }
                }
            }
        } catch (Closed e) {
            driver.log().fail("the hosted member was closed: " + e.reason);
        } catch (Exception e) {
            driver.log().fail("receive failed: " + e);
        }
        driver.wake();
    }
}
