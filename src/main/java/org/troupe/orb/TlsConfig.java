package org.troupe.orb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Properties;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * IIOP over TLS for one ORB: its key store (its own certificate and private key), its trust
 * store (the certificates of the authorities it trusts), and whether the server side demands a
 * certificate from its clients. Applied to JacORB's JSSE support by {@link OrbFactory}.
 *
 * <p>Stores are PKCS12 or JKS files (Java reads both whatever the type given to JacORB, which
 * must stay {@code JKS}: any other type makes JacORB read nothing, silently). Passwords never
 * travel on a command line: they come from files or environment variables ({@link #password}),
 * and {@link #toString} never shows them.
 *
 * @param keystore this side's certificate and private key; required on a server, and on a client
 *     only for client authentication (null: none)
 * @param keystorePassword the key store's password (and its key's)
 * @param truststore the authorities this side trusts: a client checks its server's certificate
 *     against it, a server its clients' certificates (with client authentication) and the
 *     call-backs it opens
 * @param truststorePassword the trust store's password
 * @param clientAuth on a server: a client without a certificate signed by an authority of the
 *     trust store is refused
 */
public record TlsConfig(Path keystore, String keystorePassword, Path truststore, String truststorePassword,
        boolean clientAuth) {

    /** System property: {@code true} to talk TLS ({@value #TRUSTSTORE_PROPERTY} must then be set). */
    public static final String TLS_PROPERTY = "troupe.tls";
    /** System property naming the trust store a {@code Troupe.connect(String)} uses (TLS on if set). */
    public static final String TRUSTSTORE_PROPERTY = "troupe.tls.truststore";
    /** System property naming a file holding the trust store's password. */
    public static final String TRUSTSTORE_PASSWORD_FILE_PROPERTY = "troupe.tls.truststore.password.file";
    /** System property naming the client's key store (client authentication). */
    public static final String KEYSTORE_PROPERTY = "troupe.tls.keystore";
    /** System property naming a file holding the key store's password. */
    public static final String KEYSTORE_PASSWORD_FILE_PROPERTY = "troupe.tls.keystore.password.file";
    /** Environment variable holding the key store's password when no file is given. */
    public static final String KEYSTORE_PASSWORD_ENV = "TROUPE_KEYSTORE_PASSWORD";
    /** Environment variable holding the trust store's password when no file is given. */
    public static final String TRUSTSTORE_PASSWORD_ENV = "TROUPE_TRUSTSTORE_PASSWORD";
    /** Every system property this class reads (a command line sets them, then restores them). */
    public static final java.util.List<String> PROPERTIES = java.util.List.of(TLS_PROPERTY, TRUSTSTORE_PROPERTY,
            TRUSTSTORE_PASSWORD_FILE_PROPERTY, KEYSTORE_PROPERTY, KEYSTORE_PASSWORD_FILE_PROPERTY);
    /** The password of a trust store given without one (keytool's customary default). */
    public static final String DEFAULT_TRUSTSTORE_PASSWORD = "changeit";

    private static final String JSSE = "org.jacorb.security.ssl.sun_jsse.";
    /** TLS 1.3 and 1.2: JDK 17 refuses older versions anyway. */
    private static final String PROTOCOLS = "TLSv1.3,TLSv1.2";

    public TlsConfig {
        if (truststore == null) {
            throw new IllegalArgumentException("TLS needs a trust store (--truststore): the authorities whose "
                    + "certificates this side accepts");
        }
        if (keystore != null && keystorePassword == null) {
            throw new IllegalArgumentException("the key store " + keystore + " needs a password (a file, or "
                    + KEYSTORE_PASSWORD_ENV + ")");
        }
        if (truststorePassword == null) {
            truststorePassword = DEFAULT_TRUSTSTORE_PASSWORD;
        }
    }

    /** A client that checks its server against {@code truststore}, without a certificate of its own. */
    public static TlsConfig client(Path truststore, String truststorePassword) {
        return new TlsConfig(null, null, truststore, truststorePassword, false);
    }

    /**
     * The TLS settings a Java program gives with system properties ({@value #TRUSTSTORE_PROPERTY},
     * {@value #TRUSTSTORE_PASSWORD_FILE_PROPERTY}, {@value #KEYSTORE_PROPERTY},
     * {@value #KEYSTORE_PASSWORD_FILE_PROPERTY}; passwords also from {@value #TRUSTSTORE_PASSWORD_ENV}
     * and {@value #KEYSTORE_PASSWORD_ENV}), or null when {@value #TRUSTSTORE_PROPERTY} is not set
     * (plain IIOP).
     *
     * @throws IllegalArgumentException a password file cannot be read
     */
    public static TlsConfig fromSystemProperties() {
        String trust = System.getProperty(TRUSTSTORE_PROPERTY);
        if (trust == null || trust.isBlank()) {
            if (Boolean.parseBoolean(System.getProperty(TLS_PROPERTY))) {
                throw new IllegalArgumentException("--tls needs --truststore FILE: the authority that signed the "
                        + "server's certificate");
            }
            return null;
        }
        String key = System.getProperty(KEYSTORE_PROPERTY);
        Path keyPath = key == null || key.isBlank() ? null : Path.of(key);
        return new TlsConfig(keyPath,
                keyPath == null ? null : password(pathOrNull(System.getProperty(KEYSTORE_PASSWORD_FILE_PROPERTY)),
                        KEYSTORE_PASSWORD_ENV, "key store"),
                Path.of(trust),
                password(pathOrNull(System.getProperty(TRUSTSTORE_PASSWORD_FILE_PROPERTY)), TRUSTSTORE_PASSWORD_ENV,
                        "trust store"),
                false);
    }

    private static Path pathOrNull(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    /**
     * A password: the first line of {@code file} if given, else the environment variable
     * {@code env}, else null.
     *
     * @throws IllegalArgumentException the file cannot be read or is empty
     */
    public static String password(Path file, String env, String what) {
        if (file != null) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                String first = text.lines().findFirst().orElse("");
                if (first.isEmpty()) {
                    throw new IllegalArgumentException("the " + what + " password file " + file + " is empty");
                }
                return first;
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the " + what + " password file " + file + ": "
                        + e.getMessage(), e);
            }
        }
        String v = System.getenv(env);
        return v == null || v.isEmpty() ? null : v;
    }

    /** This configuration with client authentication required (on a server). */
    public TlsConfig withClientAuth(boolean required) {
        return new TlsConfig(keystore, keystorePassword, truststore, truststorePassword, required);
    }

    /**
     * Checks that the stores can be read with their passwords and that a server's key store holds
     * a key, so that a mistake shows as one sentence before the ORB starts (JacORB would only log
     * it at DEBUG and fail every connection).
     *
     * @throws IllegalArgumentException what is wrong, in one sentence
     */
    public void check(boolean server) {
        if (server && keystore == null) {
            throw new IllegalArgumentException("a TLS server needs a key store (--keystore) with its certificate "
                    + "and private key");
        }
        KeyStore trust = load(truststore, truststorePassword, "trust store");
        try {
            if (trust.size() == 0) {
                throw new IllegalArgumentException("the trust store " + truststore + " holds no certificate "
                        + "(make it with keytool -importcert)");
            }
        } catch (java.security.KeyStoreException e) {
            throw new IllegalArgumentException("cannot read the trust store " + truststore + ": " + e.getMessage(), e);
        }
        if (keystore != null) {
            KeyStore keys = load(keystore, keystorePassword, "key store");
            try {
                boolean hasKey = false;
                for (java.util.Enumeration<String> a = keys.aliases(); a.hasMoreElements();) {
                    hasKey |= keys.isKeyEntry(a.nextElement());
                }
                if (!hasKey) {
                    throw new IllegalArgumentException("the key store " + keystore + " holds no private key");
                }
            } catch (java.security.KeyStoreException e) {
                throw new IllegalArgumentException("cannot read the key store " + keystore + ": " + e.getMessage(), e);
            }
        }
    }

    private static KeyStore load(Path file, String password, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("JKS"); // reads PKCS12 too (keystore.type.compat)
            ks.load(in, password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password") ? "wrong password?" : e.getMessage();
            throw new IllegalArgumentException("cannot read the " + what + " " + file + " (" + why + ")", e);
        }
    }

    /**
     * An SSL context from these stores, for programs that talk TLS outside the ORB (a
     * diagnosis of a failed connection).
     */
    public SSLContext sslContext() throws GeneralSecurityException, IOException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (keystore != null) {
            kmf.init(load(keystore, keystorePassword, "key store"), keystorePassword.toCharArray());
        } else {
            KeyStore empty = KeyStore.getInstance("PKCS12");
            empty.load(null, null);
            kmf.init(empty, new char[0]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(truststore, truststorePassword, "trust store"));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * This side's key manager: it shows the key store's certificate (null without a key store).
     * Used where TLS runs outside the ORB, e.g. between the Raft servers of a cluster.
     */
    public javax.net.ssl.X509KeyManager keyManager() throws GeneralSecurityException {
        if (keystore == null) {
            return null;
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keystore, keystorePassword, "key store"), keystorePassword.toCharArray());
        for (javax.net.ssl.KeyManager m : kmf.getKeyManagers()) {
            if (m instanceof javax.net.ssl.X509KeyManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 key manager for " + keystore);
    }

    /**
     * This side's trust manager: it accepts a peer whose certificate an authority of the trust
     * store signed (and, where the caller asks for it, that names the peer's host).
     */
    public javax.net.ssl.X509TrustManager trustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(truststore, truststorePassword, "trust store"));
        for (javax.net.ssl.TrustManager m : tmf.getTrustManagers()) {
            if (m instanceof javax.net.ssl.X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager for " + truststore);
    }

    /**
     * Adds the properties of a TLS-only server listening on {@code port}: no plaintext listener
     * (a plaintext client is refused), object references with only the TLS port, accepted
     * connections read through the GIOP size guard ({@link GuardedTlsServerSocketFactory}), and
     * call-backs the server opens use TLS wherever the callee offers it.
     */
    void applyServer(Properties p, int port) {
        common(p, keystore);
        p.remove("OAPort");
        p.setProperty("OASSLPort", Integer.toString(port));
        p.setProperty("jacorb.ssl.server_socket_factory", GuardedTlsServerSocketFactory.class.getName());
        // 0x20 EstablishTrustInTarget, 0x40 EstablishTrustInClient; any required bit: no plaintext port.
        // A client certificate is always asked for (and checked against the trust store if shown:
        // ClientCertificates), and required only with clientAuth.
        p.setProperty("jacorb.security.ssl.server.supported_options", "60");
        p.setProperty("jacorb.security.ssl.server.required_options", clientAuth ? "60" : "20");
        // call-backs (pushes to consumers, cluster peers): TLS where offered, with this server's certificate
        p.setProperty("jacorb.security.ssl.client.supported_options", "60");
        p.setProperty("jacorb.security.ssl.client.required_options", "0");
        // a client's call-backs ride on its own TLS connection (bidirectional GIOP), its newest open one
        p.setProperty(BIDIR_INITIALIZER, "org.jacorb.orb.giop.BiDirConnectionInitializer");
        p.setProperty(NewestBiDirConnection.INITIALIZER_PROPERTY, NewestBiDirConnection.Initializer.class.getName());
        // servants may ask whether a request's client showed a verified certificate
        p.setProperty(ClientCertificates.INITIALIZER_PROPERTY, ClientCertificates.Initializer.class.getName());
    }

    /**
     * Adds the properties of a TLS client: it connects only over TLS, checks its server's
     * certificate against the trust store, shows its own certificate if it has one, and its
     * call-back objects (consumers) listen only over TLS; the server reaches them over the
     * client's own connection (bidirectional GIOP), so a client without a key store needs no
     * listener of its own.
     */
    void applyClient(Properties p) {
        common(p, keystore == null ? truststore : keystore);
        p.setProperty("jacorb.ssl.server_socket_factory", JSSE + "SSLServerSocketFactory");
        p.setProperty("jacorb.security.ssl.client.supported_options", keystore == null ? "20" : "60");
        p.setProperty("jacorb.security.ssl.client.required_options", "20");
        p.setProperty("jacorb.security.ssl.server.supported_options", "20");
        p.setProperty("jacorb.security.ssl.server.required_options", "20");
        p.setProperty("jacorb.security.ssl.corbaloc_ssliop.supported_options", "20");
        p.setProperty("jacorb.security.ssl.corbaloc_ssliop.required_options", "20");
        if (keystore == null || !"false".equals(System.getProperty(BIDIR_PROPERTY))) {
            p.setProperty(BIDIR_INITIALIZER, "org.jacorb.orb.giop.BiDirConnectionInitializer");
            // each connection names the listen point on every request until the server answered one that did
            p.setProperty(ListenPointAnnouncer.INITIALIZER_PROPERTY, ListenPointAnnouncer.Initializer.class.getName());
        }
    }

    /**
     * System property: {@code false} makes a client with a key store take its call-backs on its
     * own TLS listener (the server connects to it and checks its certificate), as over plain IIOP,
     * instead of on its connection to the server (bidirectional GIOP, the default).
     */
    public static final String BIDIR_PROPERTY = "troupe.tls.bidir";

    /** The ORB initializer property that enables bidirectional GIOP. */
    static final String BIDIR_INITIALIZER = "org.omg.PortableInterceptor.ORBInitializerClass.bidir_init";

    private void common(Properties p, Path keys) {
        p.setProperty("jacorb.security.support_ssl", "on");
        p.setProperty("jacorb.ssl.socket_factory", JSSE + "SSLSocketFactory");
        // JacORB must be told JKS whatever the file: any other type reads nothing, silently
        p.setProperty("jacorb.security.keystore", keys.toString());
        p.setProperty("jacorb.security.keystore_password", keys == keystore ? keystorePassword : truststorePassword);
        p.setProperty("jacorb.security.keystore_type", "JKS");
        p.setProperty("jacorb.security.truststore", truststore.toString());
        p.setProperty("jacorb.security.truststore_password", truststorePassword);
        p.setProperty("jacorb.security.truststore_type", "JKS");
        // the client factory reads the server's list once the client's is set: set both
        p.setProperty("jacorb.security.ssl.client.protocols", PROTOCOLS);
        p.setProperty("jacorb.security.ssl.server.protocols", PROTOCOLS);
    }

    @Override
    public String toString() {
        return "TlsConfig[keystore=" + keystore + ", truststore=" + truststore + ", clientAuth=" + clientAuth + "]";
    }
}
