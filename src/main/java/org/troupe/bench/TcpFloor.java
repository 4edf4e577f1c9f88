package org.troupe.bench;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The floor under the JacORB floor of {@code bench latency}: a round trip over a plain TCP
 * socket between two JVMs, each side one thread that reads and writes its socket itself, with no
 * hand-off to another thread. The request carries the bench's payload size, the reply 4 octets
 * (a twoway {@code push}'s GIOP reply is not much larger). The difference from the JacORB twoway
 * in the same run is what the ORB's threads and marshalling add to a round trip.
 *
 * <p>{@code serve PORT}: accepts one connection, prints {@code READY PORT}, echoes a 4-octet
 * reply to each request until the connection or stdin ends. {@code call PORT SIZE WARMUP MSGS}:
 * makes WARMUP round trips, then times MSGS with {@link System#nanoTime} and prints
 * {@code RESULT p50_ns p99_ns max_ns}. Every accept, connect and read waits at most
 * {@link #READ_TIMEOUT_MILLIS}.
 */
public final class TcpFloor {
    static final int READ_TIMEOUT_MILLIS = 30_000;

    private TcpFloor() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        if (args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]), protocol);
            return;
        }
        long[] r = call(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]));
        protocol.println("RESULT " + r[0] + " " + r[1] + " " + r[2]);
        protocol.flush();
    }

    private static void serve(int port, PrintStream protocol) throws IOException {
        try (ServerSocket listener = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(READ_TIMEOUT_MILLIS);
            protocol.println("READY " + listener.getLocalPort());
            protocol.flush();
            Thread stdinWatch = new Thread(() -> {
                BufferedReader stdin = LatencyDriver.stdin();
                try {
                    while (stdin.readLine() != null) {
                        // until the coordinator closes stdin
                    }
                } catch (IOException e) {
                    // the coordinator is gone either way
                }
                try {
                    listener.close();
                } catch (IOException e) {
                    // closing is all that is left to do
                }
            }, "stdin-watch");
            stdinWatch.setDaemon(true);
            stdinWatch.start();
            Socket accepted;
            try {
                accepted = listener.accept();
            } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
                return; // stdin ended, or the caller did not come in time: nothing to serve
            }
            try (Socket s = accepted) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(READ_TIMEOUT_MILLIS);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream(), 1 << 16));
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] body = new byte[0];
                while (true) {
                    int n;
                    try {
                        n = in.readInt();
                    } catch (java.io.EOFException e) {
                        return; // the caller is done
                    }
                    if (n < 0 || n > (64 << 20)) {
                        throw new IOException("bad request length " + n);
                    }
                    if (body.length < n) {
                        body = new byte[n];
                    }
                    in.readFully(body, 0, n);
                    out.writeInt(n);
                    out.flush();
                }
            }
        }
    }

    /** Round trips of {@code size} octets to the echo on {@code port}: {p50, p99, max} in ns. */
    static long[] call(int port, int size, int warmup, int msgs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            // buffered: the 4-octet reply in one read, not one read per octet
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream(), 64));
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(), size + 8));
            byte[] request = new byte[size];
            for (int i = 0; i < warmup; i++) {
                roundTrip(in, out, request);
            }
            long[] nanos = new long[msgs];
            for (int i = 0; i < msgs; i++) {
                long start = System.nanoTime();
                roundTrip(in, out, request);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            return new long[] {nanos[msgs / 2], nanos[Math.min(msgs - 1, (int) (msgs * 0.99))], nanos[msgs - 1]};
        }
    }

    private static void roundTrip(DataInputStream in, DataOutputStream out, byte[] request) throws IOException {
        out.writeInt(request.length);
        out.write(request);
        out.flush();
        int echoed = in.readInt();
        if (echoed != request.length) {
            throw new IOException("the echo answered " + echoed + " for a request of " + request.length);
        }
    }
}
