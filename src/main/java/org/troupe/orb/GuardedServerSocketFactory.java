package org.troupe.orb;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.jacorb.config.Configurable;
import org.jacorb.config.Configuration;
import org.jacorb.config.ConfigurationException;
import org.jacorb.orb.factory.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server ORB's listening sockets ({@code jacorb.net.server_socket_factory}): every accepted
 * connection reads through a {@link GiopSizeGuard}, so a client that announces a GIOP message
 * larger than {@value #MAX_MESSAGE_PROPERTY} (64 MiB by default) is disconnected after its
 * 12-octet header, before the ORB allocates anything for it. Installed by {@link OrbFactory} on
 * servers.
 */
public final class GuardedServerSocketFactory implements ServerSocketFactory, Configurable {
    /** The ORB property holding the largest GIOP message a server reads, in octets. */
    public static final String MAX_MESSAGE_PROPERTY = "troupe.giop.max_message_size";
    /** The default limit: far above a member's largest send batch (8 MiB) or a 1 MiB payload. */
    public static final long DEFAULT_MAX_MESSAGE = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(GuardedServerSocketFactory.class);

    private long limit = DEFAULT_MAX_MESSAGE;

    @Override
    public void configure(Configuration config) throws ConfigurationException {
        limit = config.getAttributeAsLong(MAX_MESSAGE_PROPERTY, DEFAULT_MAX_MESSAGE);
        if (limit < GiopSizeGuard.HEADER) {
            throw new ConfigurationException(MAX_MESSAGE_PROPERTY + " must be at least " + GiopSizeGuard.HEADER
                    + ", got " + limit);
        }
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new Guarded(limit, port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return new Guarded(limit, port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        return new Guarded(limit, port, backlog, address);
    }

    /** A listening socket whose connections read through the guard. */
    private static final class Guarded extends ServerSocket {
        private final long limit;

        Guarded(long limit, int port, int backlog, InetAddress address) throws IOException {
            super(port, backlog, address);
            this.limit = limit;
        }

        @Override
        public Socket accept() throws IOException {
            GuardedSocket s = new GuardedSocket(limit);
            implAccept(s);
            return s;
        }
    }

    /** An accepted connection whose input is guarded. */
    private static final class GuardedSocket extends Socket {
        private final long limit;
        private InputStream guarded;

        GuardedSocket(long limit) {
            this.limit = limit;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (guarded == null) {
                guarded = new Logged(new GiopSizeGuard(super.getInputStream(), limit,
                        String.valueOf(getRemoteSocketAddress())));
            }
            return guarded;
        }
    }

    /** Logs, once, why the guard ended a connection. */
    static final class Logged extends java.io.FilterInputStream {
        private boolean logged;

        Logged(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw logged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw logged(e);
            }
        }

        private IOException logged(IOException e) {
            if (!logged && e.getMessage() != null && e.getMessage().startsWith("connection from ")) {
                logged = true;
                LOG.warn("{}", e.getMessage());
            }
            return e;
        }
    }
}
