package org.troupe.orb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.function.BiFunction;
import java.util.List;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jacorb.config.Configurable;
import org.jacorb.config.Configuration;
import org.jacorb.config.ConfigurationException;
import org.jacorb.orb.factory.ServerSocketFactory;

/**
 * The TLS listening socket of a server ({@code jacorb.ssl.server_socket_factory}): JacORB's JSSE
 * factory makes it (key store, trust store, client authentication, protocols), and every
 * accepted connection reads its decrypted GIOP stream through a {@link GiopSizeGuard}, as the
 * plaintext listener's do ({@link GuardedServerSocketFactory}). The guard must sit above TLS: the
 * GIOP header it checks is inside the records.
 *
 * <p>The accepted sockets stay {@link SSLSocket}s (delegating to JSSE's), so that the ORB and an
 * interceptor can read the peer's certificate from the session.
 */
public final class GuardedTlsServerSocketFactory implements ServerSocketFactory, Configurable {
    private final org.jacorb.security.ssl.sun_jsse.SSLServerSocketFactory tls =
            new org.jacorb.security.ssl.sun_jsse.SSLServerSocketFactory();
    private long limit = GuardedServerSocketFactory.DEFAULT_MAX_MESSAGE;
    private int maxConnections = GuardedServerSocketFactory.DEFAULT_MAX_CONNECTIONS;
    private long firstMessageMillis = GuardedServerSocketFactory.DEFAULT_FIRST_MESSAGE_MILLIS;

    @Override
    public void configure(Configuration config) throws ConfigurationException {
        tls.configure(config);
        maxConnections = config.getAttributeAsInteger(GuardedServerSocketFactory.MAX_CONNECTIONS_PROPERTY,
                GuardedServerSocketFactory.DEFAULT_MAX_CONNECTIONS);
        firstMessageMillis = config.getAttributeAsLong(GuardedServerSocketFactory.FIRST_MESSAGE_PROPERTY,
                GuardedServerSocketFactory.DEFAULT_FIRST_MESSAGE_MILLIS);
        if (maxConnections < 1 || firstMessageMillis < 1) {
            throw new ConfigurationException(GuardedServerSocketFactory.MAX_CONNECTIONS_PROPERTY + " and "
                    + GuardedServerSocketFactory.FIRST_MESSAGE_PROPERTY + " must be at least 1, got " + maxConnections
                    + " and " + firstMessageMillis);
        }
        limit = config.getAttributeAsLong(GuardedServerSocketFactory.MAX_MESSAGE_PROPERTY,
                GuardedServerSocketFactory.DEFAULT_MAX_MESSAGE);
        if (limit < GiopSizeGuard.HEADER) {
            throw new ConfigurationException(GuardedServerSocketFactory.MAX_MESSAGE_PROPERTY
                    + " must be at least " + GiopSizeGuard.HEADER + ", got " + limit);
        }
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new Listening((SSLServerSocket) tls.createServerSocket(port), limit,
                new ConnectionLimit(maxConnections, firstMessageMillis));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return new Listening((SSLServerSocket) tls.createServerSocket(port, backlog), limit,
                new ConnectionLimit(maxConnections, firstMessageMillis));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        return new Listening((SSLServerSocket) tls.createServerSocket(port, backlog, address), limit,
                new ConnectionLimit(maxConnections, firstMessageMillis));
    }

    /** JSSE's listening socket, whose accepted connections read through the guard and are counted. */
    private static final class Listening extends SSLServerSocket {
        private final SSLServerSocket in;
        private final long limit;
        private final ConnectionLimit connections;

        Listening(SSLServerSocket in, long limit, ConnectionLimit connections) throws IOException {
            this.in = in;
            this.limit = limit;
            this.connections = connections;
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                GuardedTlsSocket s = new GuardedTlsSocket((SSLSocket) in.accept(), limit, connections);
                if (connections.admit(s)) {
                    return s;
                }
                // refused (the limit, and no silent connection to make room): the ORB never sees it
            }
        }

        // everything else is the JSSE socket's
        @Override public void bind(SocketAddress endpoint) throws IOException { in.bind(endpoint); }
        @Override public void bind(SocketAddress endpoint, int backlog) throws IOException { in.bind(endpoint, backlog); }
        @Override public InetAddress getInetAddress() { return in.getInetAddress(); }
        @Override public int getLocalPort() { return in.getLocalPort(); }
        @Override public SocketAddress getLocalSocketAddress() { return in.getLocalSocketAddress(); }
        @Override public void close() throws IOException {
            try {
                in.close();
            } finally {
                connections.close();
            }
        }
        @Override public boolean isBound() { return in.isBound(); }
        @Override public boolean isClosed() { return in.isClosed(); }
        @Override public void setSoTimeout(int timeout) throws SocketException { in.setSoTimeout(timeout); }
        @Override public int getSoTimeout() throws IOException { return in.getSoTimeout(); }
        @Override public void setReuseAddress(boolean on) throws SocketException { in.setReuseAddress(on); }
        @Override public boolean getReuseAddress() throws SocketException { return in.getReuseAddress(); }
        @Override public void setReceiveBufferSize(int size) throws SocketException { in.setReceiveBufferSize(size); }
        @Override public int getReceiveBufferSize() throws SocketException { return in.getReceiveBufferSize(); }
        @Override public String toString() { return in.toString(); }
        @Override public String[] getEnabledCipherSuites() { return in.getEnabledCipherSuites(); }
        @Override public void setEnabledCipherSuites(String[] suites) { in.setEnabledCipherSuites(suites); }
        @Override public String[] getSupportedCipherSuites() { return in.getSupportedCipherSuites(); }
        @Override public String[] getSupportedProtocols() { return in.getSupportedProtocols(); }
        @Override public String[] getEnabledProtocols() { return in.getEnabledProtocols(); }
        @Override public void setEnabledProtocols(String[] protocols) { in.setEnabledProtocols(protocols); }
        @Override public void setNeedClientAuth(boolean need) { in.setNeedClientAuth(need); }
        @Override public boolean getNeedClientAuth() { return in.getNeedClientAuth(); }
        @Override public void setWantClientAuth(boolean want) { in.setWantClientAuth(want); }
        @Override public boolean getWantClientAuth() { return in.getWantClientAuth(); }
        @Override public void setUseClientMode(boolean mode) { in.setUseClientMode(mode); }
        @Override public boolean getUseClientMode() { return in.getUseClientMode(); }
        @Override public void setEnableSessionCreation(boolean flag) { in.setEnableSessionCreation(flag); }
        @Override public boolean getEnableSessionCreation() { return in.getEnableSessionCreation(); }
        @Override public SSLParameters getSSLParameters() { return in.getSSLParameters(); }
        @Override public void setSSLParameters(SSLParameters params) { in.setSSLParameters(params); }
    }

    /**
     * An accepted TLS connection whose decrypted input is guarded, and which tells its limit when
     * it spoke (its first GIOP octet, after the handshake) and when it closed; all else is JSSE's socket.
     */
    static final class GuardedTlsSocket extends SSLSocket implements ConnectionLimit.Connection {
        private final SSLSocket in;
        private final long limit;
        private final ConnectionLimit connections;
        private final long acceptedNanos = System.nanoTime();
        private volatile boolean spoke;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        private InputStream guarded;

        GuardedTlsSocket(SSLSocket in, long limit, ConnectionLimit connections) {
            this.in = in;
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
            return String.valueOf(in.getRemoteSocketAddress());
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (guarded == null) {
                guarded = new GuardedServerSocketFactory.Logged(new GiopSizeGuard(in.getInputStream(), limit,
                        peer()), () -> spoke = true);
            }
            return guarded;
        }

        @Override public OutputStream getOutputStream() throws IOException { return in.getOutputStream(); }
        @Override public void connect(SocketAddress endpoint) throws IOException { in.connect(endpoint); }
        @Override public void connect(SocketAddress endpoint, int timeout) throws IOException { in.connect(endpoint, timeout); }
        @Override public void bind(SocketAddress bindpoint) throws IOException { in.bind(bindpoint); }
        @Override public InetAddress getInetAddress() { return in.getInetAddress(); }
        @Override public InetAddress getLocalAddress() { return in.getLocalAddress(); }
        @Override public int getPort() { return in.getPort(); }
        @Override public int getLocalPort() { return in.getLocalPort(); }
        @Override public SocketAddress getRemoteSocketAddress() { return in.getRemoteSocketAddress(); }
        @Override public SocketAddress getLocalSocketAddress() { return in.getLocalSocketAddress(); }
        @Override public SocketChannel getChannel() { return in.getChannel(); }
        @Override public void setTcpNoDelay(boolean on) throws SocketException { in.setTcpNoDelay(on); }
        @Override public boolean getTcpNoDelay() throws SocketException { return in.getTcpNoDelay(); }
        @Override public void setSoLinger(boolean on, int linger) throws SocketException { in.setSoLinger(on, linger); }
        @Override public int getSoLinger() throws SocketException { return in.getSoLinger(); }
        @Override public void sendUrgentData(int data) throws IOException { in.sendUrgentData(data); }
        @Override public void setOOBInline(boolean on) throws SocketException { in.setOOBInline(on); }
        @Override public boolean getOOBInline() throws SocketException { return in.getOOBInline(); }
        @Override public void setSoTimeout(int timeout) throws SocketException { in.setSoTimeout(timeout); }
        @Override public int getSoTimeout() throws SocketException { return in.getSoTimeout(); }
        @Override public void setSendBufferSize(int size) throws SocketException { in.setSendBufferSize(size); }
        @Override public int getSendBufferSize() throws SocketException { return in.getSendBufferSize(); }
        @Override public void setReceiveBufferSize(int size) throws SocketException { in.setReceiveBufferSize(size); }
        @Override public int getReceiveBufferSize() throws SocketException { return in.getReceiveBufferSize(); }
        @Override public void setKeepAlive(boolean on) throws SocketException { in.setKeepAlive(on); }
        @Override public boolean getKeepAlive() throws SocketException { return in.getKeepAlive(); }
        @Override public void setTrafficClass(int tc) throws SocketException { in.setTrafficClass(tc); }
        @Override public int getTrafficClass() throws SocketException { return in.getTrafficClass(); }
        @Override public void setReuseAddress(boolean on) throws SocketException { in.setReuseAddress(on); }
        @Override public boolean getReuseAddress() throws SocketException { return in.getReuseAddress(); }
        @Override public void close() throws IOException {
            try {
                in.close();
            } finally {
                if (closed.compareAndSet(false, true)) {
                    connections.closed(this);
                }
            }
        }
        @Override public void shutdownInput() throws IOException { in.shutdownInput(); }
        @Override public void shutdownOutput() throws IOException { in.shutdownOutput(); }
        @Override public String toString() { return in.toString(); }
        @Override public boolean isConnected() { return in.isConnected(); }
        @Override public boolean isBound() { return in.isBound(); }
        @Override public boolean isClosed() { return in.isClosed(); }
        @Override public boolean isInputShutdown() { return in.isInputShutdown(); }
        @Override public boolean isOutputShutdown() { return in.isOutputShutdown(); }
        @Override public String[] getSupportedCipherSuites() { return in.getSupportedCipherSuites(); }
        @Override public String[] getEnabledCipherSuites() { return in.getEnabledCipherSuites(); }
        @Override public void setEnabledCipherSuites(String[] suites) { in.setEnabledCipherSuites(suites); }
        @Override public String[] getSupportedProtocols() { return in.getSupportedProtocols(); }
        @Override public String[] getEnabledProtocols() { return in.getEnabledProtocols(); }
        @Override public void setEnabledProtocols(String[] protocols) { in.setEnabledProtocols(protocols); }
        @Override public SSLSession getSession() { return in.getSession(); }
        @Override public SSLSession getHandshakeSession() { return in.getHandshakeSession(); }
        @Override public void addHandshakeCompletedListener(HandshakeCompletedListener l) { in.addHandshakeCompletedListener(l); }
        @Override public void removeHandshakeCompletedListener(HandshakeCompletedListener l) { in.removeHandshakeCompletedListener(l); }
        @Override public void startHandshake() throws IOException { in.startHandshake(); }
        @Override public void setUseClientMode(boolean mode) { in.setUseClientMode(mode); }
        @Override public boolean getUseClientMode() { return in.getUseClientMode(); }
        @Override public void setNeedClientAuth(boolean need) { in.setNeedClientAuth(need); }
        @Override public boolean getNeedClientAuth() { return in.getNeedClientAuth(); }
        @Override public void setWantClientAuth(boolean want) { in.setWantClientAuth(want); }
        @Override public boolean getWantClientAuth() { return in.getWantClientAuth(); }
        @Override public void setEnableSessionCreation(boolean flag) { in.setEnableSessionCreation(flag); }
        @Override public boolean getEnableSessionCreation() { return in.getEnableSessionCreation(); }
        @Override public SSLParameters getSSLParameters() { return in.getSSLParameters(); }
        @Override public void setSSLParameters(SSLParameters params) { in.setSSLParameters(params); }
        @Override public String getApplicationProtocol() { return in.getApplicationProtocol(); }
        @Override public String getHandshakeApplicationProtocol() { return in.getHandshakeApplicationProtocol(); }
        @Override public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> s) {
            in.setHandshakeApplicationProtocolSelector(s);
        }
        @Override public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return in.getHandshakeApplicationProtocolSelector();
        }
    }
}
