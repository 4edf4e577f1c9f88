package org.troupe.orb;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a server connection's bytes on their way to the ORB and follows its GIOP messages: each
 * is a 12-octet header ("GIOP", version, flags, type, body size) and a body of that size. A
 * header that announces a body larger than the limit, or that is not GIOP at all, ends the
 * connection with an {@link IOException} before the ORB sees it: JacORB 3.9 allocates a buffer
 * of the announced size as soon as it has read a header, so one header can take a gigabyte of
 * heap before any body arrives.
 *
 * <p>The limit holds for each message and each fragment alike (a fragment has its own header).
 */
final class GiopSizeGuard extends FilterInputStream {
    static final int HEADER = 12;

    private final long limit;
    private final String peer;
    private final byte[] header = new byte[HEADER];
    private int headerRead;
    private long bodyLeft;

    GiopSizeGuard(InputStream in, long limit, String peer) {
        super(in);
        this.limit = limit;
        this.peer = peer;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            follow(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            if (org.troupe.trace.HopTrace.ON) {
                org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.READ);
            }
            follow(buf, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        int got = read(scratch, 0, scratch.length);
        return Math.max(got, 0);
    }

    /** Follows the message boundaries over {@code n} bytes just read; throws at a header over the limit. */
    private void follow(byte[] buf, int off, int n) throws IOException {
        int i = off;
        int end = off + n;
        while (i < end) {
            if (bodyLeft > 0) {
                int take = (int) Math.min(bodyLeft, end - i);
                bodyLeft -= take;
                i += take;
                continue;
            }
            int take = Math.min(HEADER - headerRead, end - i);
            System.arraycopy(buf, i, header, headerRead, take);
            headerRead += take;
            i += take;
            if (headerRead == HEADER) {
                headerRead = 0;
                bodyLeft = bodySize(header, limit, peer);
            }
        }
    }

    /** The body size a complete header announces; an IOException if it is not GIOP or over the limit. */
    static long bodySize(byte[] h, long limit, String peer) throws IOException {
        if (h[0] != 'G' || h[1] != 'I' || h[2] != 'O' || h[3] != 'P') {
            throw new IOException("connection from " + peer + " closed: not a GIOP message");
        }
        boolean little = (h[6] & 1) != 0; // GIOP 1.0: the byte-order boolean; 1.1 and later: flag bit 0
        long size = little
                ? (h[8] & 0xffL) | (h[9] & 0xffL) << 8 | (h[10] & 0xffL) << 16 | (h[11] & 0xffL) << 24
                : (h[11] & 0xffL) | (h[10] & 0xffL) << 8 | (h[9] & 0xffL) << 16 | (h[8] & 0xffL) << 24;
        if (size > limit) {
            throw new IOException("connection from " + peer + " closed: it announced a GIOP message of " + size
                    + " octets, over the limit of " + limit);
        }
        return size;
    }
}
