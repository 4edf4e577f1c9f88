package org.troupe.isolation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child process for tests: opens N TCP connections to a port, sends nothing, and reports how
 * many the server has closed. Prints {@code OPENED n} once all are open (or could not be), then
 * {@code CLOSED k} whenever k of them have been closed by the server, and {@code ALL_CLOSED}
 * at the end.
 */
public final class IdleSockets {
    private IdleSockets() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        List<Socket> sockets = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < n; i++) {
            try {
                Socket s = new Socket();
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                sockets.add(s);
            } catch (IOException e) {
                failed++;
            }
        }
        System.out.println("OPENED " + sockets.size() + " FAILED " + failed);
        System.out.flush();
        AtomicInteger closed = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(sockets.size());
        for (Socket s : sockets) {
            Thread t = new Thread(null, () -> {
                try {
                    s.setSoTimeout(0);
                    while (s.getInputStream().read() >= 0) {
                        // the server sends nothing to a silent client; drain whatever comes
                    }
                } catch (IOException e) {
                    // reset by the server: closed as well
                }
                int k = closed.incrementAndGet();
                if (k % 100 == 0) {
                    System.out.println("CLOSED " + k);
                    System.out.flush();
                }
                all.countDown();
            }, "idle", 64 * 1024);
            t.setDaemon(true);
            t.start();
        }
        if (all.await(10, TimeUnit.MINUTES)) {
            System.out.println("ALL_CLOSED");
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE); // until the test stops this process
    }
}
