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
 *
 * <p>It also bounds the connections ({@link ConnectionLimit}): at most
 * {@value #MAX_CONNECTIONS_PROPERTY} open at once, and a connection that sends nothing within
 * {@value #FIRST_MESSAGE_PROPERTY} of being accepted is closed (each holds a reader thread of the
 * ORB). Connections that spoke and then fell silent are closed by JacORB's own
 * {@code jacorb.connection.server.timeout}, which waits for pending requests and tells the client
 * with a GIOP CloseConnection.
 */
public final class GuardedServerSocketFactory implements ServerSocketFactory, Configurable {
    /** The ORB property holding the largest GIOP message a server reads, in octets. */
    public static final String MAX_MESSAGE_PROPERTY = "troupe.giop.max_message_size";
    /** The default limit: far above a member's largest send batch (8 MiB) or a 1 MiB payload. */
    public static final long DEFAULT_MAX_MESSAGE = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(GuardedServerSocketFactory.class);

    /** The ORB property holding the most connections open at once. */
    public static final String MAX_CONNECTIONS_PROPERTY = "troupe.connection.max";
    /** The ORB property holding how long, in ms, a new connection may stay silent. */
    public static final String FIRST_MESSAGE_PROPERTY = "troupe.connection.first_message_timeout";
    /** Default of {@link #MAX_CONNECTIONS_PROPERTY}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** Default of {@link #FIRST_MESSAGE_PROPERTY}: 10 s. */
    public static final long DEFAULT_FIRST_MESSAGE_MILLIS = 10_000;

    private long limit = DEFAULT_MAX_MESSAGE;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private long firstMessageMillis = DEFAULT_FIRST_MESSAGE_MILLIS;

    @Override
    public void configure(Configuration config) throws ConfigurationException {
        maxConnections = config.getAttributeAsInteger(MAX_CONNECTIONS_PROPERTY, DEFAULT_MAX_CONNECTIONS);
        firstMessageMillis = config.getAttributeAsLong(FIRST_MESSAGE_PROPERTY, DEFAULT_FIRST_MESSAGE_MILLIS);
        if (maxConnections < 1 || firstMessageMillis < 1) {
            throw new ConfigurationException(MAX_CONNECTIONS_PROPERTY + " and " + FIRST_MESSAGE_PROPERTY
                    + " must be at least 1, got " + maxConnections + " and " + firstMessageMillis);
        }
        limit = config.getAttributeAsLong(MAX_MESSAGE_PROPERTY, DEFAULT_MAX_MESSAGE);
        if (limit < GiopSizeGuard.HEADER) {
            throw new ConfigurationException(MAX_MESSAGE_PROPERTY + " must be at least " + GiopSizeGuard.HEADER
                    + ", got " + limit);
        }
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        return new Guarded(limit, maxConnections, firstMessageMillis, port, backlog, address);
    }

    /** A listening socket whose connections read through the guard and are counted. */
    private static final class Guarded extends ServerSocket {
        private final long limit;
        private final ConnectionLimit connections;

        Guarded(long limit, int maxConnections, long firstMessageMillis, int port, int backlog,
                InetAddress address) throws IOException {
            super(port, backlog, address);
            this.limit = limit;
            this.connections = new ConnectionLimit(maxConnections, firstMessageMillis); // once bound
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                GuardedSocket s = new GuardedSocket(limit, connections);
                implAccept(s);
                if (connections.admit(s)) {
                    return s;
                }
                // refused (the limit, and no silent connection to make room): the ORB never sees it
            }
        }

        @Override
        public void close() throws IOException {
            if (connections != null) { // null: the socket failed to bind (ServerSocket closes itself)
                connections.close();
            }
            super.close();
        }
    }

    /** An accepted connection whose input is guarded; it tells its limit when it spoke and when it closed. */
    static final class GuardedSocket extends Socket implements ConnectionLimit.Connection {
        private final long limit;
        private final ConnectionLimit connections;
        private final long acceptedNanos = System.nanoTime();
        private volatile boolean spoke;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        private InputStream guarded;

        GuardedSocket(long limit, ConnectionLimit connections) {
            this.limit = limit;
            this.connections = connections;
        }

        @Override
        public long acceptedNanos() {
            return acceptedNanos;
        }

        @Override
        public boolean spoke() {
            return spoke;
        }

        @Override
        public String peer() {
            return String.valueOf(getRemoteSocketAddress());
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (guarded == null) {
                guarded = new Logged(new GiopSizeGuard(super.getInputStream(), limit, peer()), () -> spoke = true);
            }
            return guarded;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (closed.compareAndSet(false, true)) {
                    connections.closed(this);
                }
            }
        }
    }

    /** Logs, once, why the guard ended a connection; notes that the client spoke. */
    static final class Logged extends java.io.FilterInputStream {
        private final Runnable spoke;
        private boolean logged;
        private boolean heard;

        Logged(InputStream in, Runnable spoke) {
            super(in);
            this.spoke = spoke;
        }

        private void heard() {
            if (!heard) {
                heard = true;
                spoke.run();
            }
        }

        @Override
        public int read() throws IOException {
            try {
                int b = in.read();
                if (b >= 0) {
                    heard();
                }
                return b;
            } catch (IOException e) {
                throw logged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    heard();
                }
                return n;
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
