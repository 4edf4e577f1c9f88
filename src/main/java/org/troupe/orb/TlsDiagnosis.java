package org.troupe.orb;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Says in one sentence why a client could not reach a server when TLS is the cause: TLS on one
 * side only, a server certificate the client's trust store does not trust, a client certificate
 * the server requires and did not get or does not trust.
 *
 * <p>JacORB reports all of these as a bare TRANSIENT or COMM_FAILURE (its socket factories log
 * the cause at DEBUG only), so after such a failure the client asks the server itself: it opens
 * a TCP connection, tries a TLS handshake with a context that accepts any certificate (does the
 * server speak TLS at all?), then one with its own stores (does each side trust the other?).
 * Nothing is sent beyond the handshake. Used only after a failure, so it costs nothing on the
 * way that works.
 */
public final class TlsDiagnosis {
    /** How long each probe may take (connect, handshake, waiting for a late alert). */
    static final int PROBE_MILLIS = 1500;

    private TlsDiagnosis() {
    }

    /**
     * Why the server at {@code server} (its first address) cannot be reached with {@code tls}
     * (null: plain IIOP), when TLS is the cause; null when the server cannot be reached at all,
     * or TLS is not the cause.
     */
    public static String explain(ServerAddress server, TlsConfig tls) {
        String hostPort = server.endpoints().get(0).hostPort();
        String host = server.host();
        int port = server.port();
        Handshake any = handshake(host, port, acceptAny());
        if (any.outcome == Outcome.UNREACHABLE) {
            return null;
        }
        boolean serverTls = any.outcome != Outcome.NOT_TLS;
        if (tls == null) {
            return serverTls ? "the server at " + hostPort + " requires TLS, and this client connected without it:"
                    + " use --tls --truststore FILE (a trust store holding the authority that signed the server's"
                    + " certificate" + subject(any.serverCertificate) + ")" : null;
        }
        if (!serverTls) {
            return "the server at " + hostPort + " does not speak TLS (it runs without --tls), and this client"
                    + " requires it: connect without --tls, or restart the server with --tls";
        }
        SSLContext own;
        try {
            own = tls.sslContext();
        } catch (Exception e) {
            return "cannot use the TLS stores of this client: " + e.getMessage();
        }
        Handshake mine = handshake(host, port, own);
        switch (mine.outcome) {
            case UNTRUSTED_SERVER:
                return "the certificate of the server at " + hostPort + subject(any.serverCertificate)
                        + " is not trusted by the trust store " + tls.truststore()
                        + ": it must hold the authority that signed it";
            case CLIENT_REFUSED:
                return tls.keystore() == null
                        ? "the server at " + hostPort + " requires a client certificate, and this client has none:"
                                + " give --keystore FILE (a key signed by an authority the server trusts)"
                        : "the server at " + hostPort + " refused this client's certificate from " + tls.keystore()
                                + ": it is not signed by an authority in the server's trust store";
            default:
                return null;
        }
    }

    private static String subject(X509Certificate c) {
        return c == null ? "" : ", '" + c.getSubjectX500Principal().getName() + "' issued by '"
                + c.getIssuerX500Principal().getName() + "'";
    }

    private enum Outcome { UNREACHABLE, NOT_TLS, UNTRUSTED_SERVER, CLIENT_REFUSED, OK }

    private record Handshake(Outcome outcome, X509Certificate serverCertificate) {
    }

    private static Handshake handshake(String host, int port, SSLContext ctx) {
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(host, port), PROBE_MILLIS);
        } catch (IOException e) {
            closeQuietly(raw);
            return new Handshake(Outcome.UNREACHABLE, null);
        }
        SSLSocket s = null;
        try {
            raw.setSoTimeout(PROBE_MILLIS);
            s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, true);
            s.setUseClientMode(true);
            try {
                s.startHandshake();
            } catch (SSLHandshakeException e) {
                if (untrusted(e)) {
                    return new Handshake(Outcome.UNTRUSTED_SERVER, null);
                }
                if (clientRefused(e)) {
                    return new Handshake(Outcome.CLIENT_REFUSED, null);
                }
                return new Handshake(Outcome.NOT_TLS, null);
            } catch (SSLException | SocketTimeoutException e) {
                return new Handshake(Outcome.NOT_TLS, null);
            } catch (IOException e) { // reset or closed: a plaintext server ending the garbled connection
                return new Handshake(Outcome.NOT_TLS, null);
            }
            X509Certificate cert = null;
            try {
                if (s.getSession().getPeerCertificates().length > 0
                        && s.getSession().getPeerCertificates()[0] instanceof X509Certificate x) {
                    cert = x;
                }
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                cert = null;
            }
            // TLS 1.3: a server refuses a client's certificate (or its absence) after the handshake
            try {
                s.setSoTimeout(PROBE_MILLIS);
                s.getInputStream().read();
            } catch (SocketTimeoutException e) {
                return new Handshake(Outcome.OK, cert);
            } catch (IOException e) {
                return new Handshake(clientRefused(e) ? Outcome.CLIENT_REFUSED : Outcome.OK, cert);
            }
            return new Handshake(Outcome.OK, cert);
        } catch (IOException e) {
            return new Handshake(Outcome.NOT_TLS, null);
        } finally {
            closeQuietly(s != null ? s : raw);
        }
    }

    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static boolean clientRefused(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("certificate_required") || m.contains("bad_certificate") || m.contains("unknown_ca")
                || m.contains("certificate_unknown");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a probe: nothing to do
        }
    }

    /** A context that accepts any server certificate: only to learn whether the server speaks TLS. */
    private static SSLContext acceptAny() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // a client context: never asked
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // any: this handshake only tells whether the server speaks TLS
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS: " + e, e);
        }
    }
}
