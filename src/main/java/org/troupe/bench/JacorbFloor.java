package org.troupe.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.omg.CORBA.Any;
import org.omg.CORBA.ORB;
import org.omg.CORBA.OctetSeqHelper;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.CosEventComm.PushConsumerPOA;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.orb.OrbFactory;

/**
 * The floor of {@code bench latency}: a raw JacORB twoway round trip between two JVMs, with
 * ORBs set up as Troupe's ({@link OrbFactory}), carrying the same payload size as the bench's
 * messages (an {@code any} holding a {@code sequence<octet>}, as Troupe's events do). The
 * servant is the standard {@code CosEventComm::PushConsumer}, whose {@code push} does nothing.
 *
 * <p>{@code serve PORT}: hosts the servant, prints {@code READY IOR}, runs until stdin ends.
 * {@code call IOR SIZE WARMUP MSGS}: calls {@code push} WARMUP times, then times MSGS calls one
 * after the other with {@link System#nanoTime} and prints {@code RESULT p50_ns p99_ns max_ns}.
 */
public final class JacorbFloor {
    private JacorbFloor() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        BufferedReader stdin = LatencyDriver.stdin();
        if (args[0].equals("serve")) {
            ORB orb = OrbFactory.init(OrbFactory.serverProperties("127.0.0.1", Integer.parseInt(args[1]), 30_000));
            POA poa = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
            PushConsumerPOA servant = new PushConsumerPOA() {
                @Override
                public void push(Any data) {
                    // nothing: the round trip is the measure
                }

                @Override
                public void disconnect_push_consumer() {
                }
            };
            poa.the_POAManager().activate();
            protocol.println("READY " + orb.object_to_string(poa.servant_to_reference(servant)));
            protocol.flush();
            while (stdin.readLine() != null) {
                // until the coordinator closes stdin
            }
            orb.shutdown(false);
            return;
        }
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 30_000));
        PushConsumer target = PushConsumerHelper.narrow(orb.string_to_object(args[1]));
        int size = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int msgs = Integer.parseInt(args[4]);
        Any any = orb.create_any();
        OctetSeqHelper.insert(any, new byte[size]);
        for (int i = 0; i < warmup; i++) {
            target.push(any);
        }
        long[] nanos = new long[msgs];
        for (int i = 0; i < msgs; i++) {
            long start = System.nanoTime();
            target.push(any);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        protocol.println("RESULT " + nanos[msgs / 2] + " " + nanos[Math.min(msgs - 1, (int) (msgs * 0.99))] + " "
                + nanos[msgs - 1]);
        protocol.flush();
        orb.shutdown(false);
    }
}
