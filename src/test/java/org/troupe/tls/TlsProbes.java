package org.troupe.tls;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Test helper: what a port answers to a client that does not speak TLS. */
public final class TlsProbes {
    /** What a plaintext gRPC (HTTP/2) client sends first. */
    public static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private TlsProbes() {
    }

    /**
     * Asserts that a plaintext HTTP/2 client (what gRPC speaks without TLS) connecting to
     * {@code 127.0.0.1:port} gets its connection closed with at most a TLS alert: no HTTP/2 frame
     * (a plaintext gRPC server answers the preface with its SETTINGS frame), within 10 s.
     */
    public static void assertPlaintextCutOff(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(HTTP2_PREFACE);
            s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (java.net.SocketTimeoutException e) {
                fail("the port " + port + " kept a plaintext connection open for 10 s");
                return;
            } catch (IOException e) {
                return; // reset: cut off
            }
            if (first >= 0 && first != 0x15) { // 0x15: a TLS alert record
                fail("the port " + port + " answered plaintext with byte 0x" + Integer.toHexString(first)
                        + ", not a TLS alert");
            }
            try {
                while (in.read() >= 0) {
                    // the rest of the alert, then the end
                }
            } catch (IOException e) {
                // reset: cut off
            }
        }
    }
}
