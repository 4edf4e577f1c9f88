package org.troupe.bench.jgroups;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.MessageBatch;
import org.slf4j.LoggerFactory;
import org.troupe.bench.DeliveryBoard;
import org.troupe.bench.LatencyDriver;
import org.troupe.bench.ParentWatch;

/**
 * One JGroups member of {@code bench latency --compare jgroups}: the JGroups counterpart of
 * {@link org.troupe.bench.LatencyMember}, with the stack {@value JGroupsOrderMember#STACK}
 * (SEQUENCER over TCP on 127.0.0.1; the first member, the coordinator, orders). Each delivery is
 * stamped with {@link System#nanoTime} the moment JGroups hands it to the receiver.
 *
 * <p>Arguments: {@code --index I --members N --msgs M --size S --board FILE --out FILE
 * --ports p0,...,pN-1 --fd-offset D --cluster NAME [--sender true]}.
 */
public final class LatencyJGroupsMember {
    private LatencyJGroupsMember() {
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
        boolean sender = Boolean.parseBoolean(a.getOrDefault("sender", "false"));
        String[] ports = a.get("ports").split(",");
        System.setProperty("jgroups.tcp.port", ports[index]);
        System.setProperty("jgroups.fd_sock2.offset", a.get("fd-offset"));
        StringBuilder hosts = new StringBuilder();
        for (String port : ports) {
            hosts.append(hosts.length() > 0 ? "," : "").append("127.0.0.1[").append(port).append(']');
        }
        System.setProperty("jgroups.tcpping.initial_hosts", hosts.toString());
        BufferedReader stdin = LatencyDriver.stdin();
        try (DeliveryBoard board = DeliveryBoard.open(Path.of(a.get("board")), 2, members)) {
            LatencyDriver driver = new LatencyDriver(index, msgs, size, new int[] {LatencyDriver.SEQUENCED}, board,
                    Long.parseLong(a.getOrDefault("gap-ms", "0")), 0); // one kind: its warm-up comes first anyway
            CountDownLatch full = new CountDownLatch(1);
            try (JChannel channel = new JChannel(JGroupsOrderMember.STACK)) {
                channel.name("jg" + index);
                channel.setReceiver(new Receiver() {
                    @Override
                    public void viewAccepted(View view) {
                        if (view.size() >= members) {
                            full.countDown();
                        }
                    }

                    @Override
                    public void receive(Message msg) {
                        long now = System.nanoTime();
                        deliver(driver, msg, now);
                    }

                    @Override
                    public void receive(MessageBatch batch) {
                        for (Message msg : batch) {
                            deliver(driver, msg, System.nanoTime());
                        }
                    }
                });
                channel.connect(a.get("cluster"));
                if (!full.await(LatencyDriver.FILL_NANOS, TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("the JGroups view did not fill up within 300 s");
                }
                protocol.println("READY");
                protocol.flush();
                if (!LatencyDriver.awaitGo(stdin)) {
                    return;
                }
                if (sender) {
                    Thread s = new Thread(() -> driver.send((kind, payload) -> channel.send(new BytesMessage(null,
                            payload))), "bench-sender");
                    s.start();
                    s.join();
                }
                driver.awaitDone();
                if (LoggerFactory.getLogger("org.jgroups") instanceof ch.qos.logback.classic.Logger logger) {
                    logger.setLevel(ch.qos.logback.classic.Level.OFF); // the coordinator ends all members at once
                }
                driver.finish(Path.of(a.get("out")), protocol, stdin);
            }
        }
    }

    private static void deliver(LatencyDriver driver, Message msg, long now) {
        byte[] b = msg.getArray();
        if (b == null) {
            driver.delivered(new byte[0], 0, 0, now);
        } else {
            driver.delivered(b, msg.getOffset(), msg.getLength(), now);
        }
    }
}
