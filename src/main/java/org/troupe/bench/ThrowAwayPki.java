package org.troupe.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.troupe.orb.TlsConfig;

/**
 * A throw-away public key infrastructure made at run time with the JDK's own APIs (no keytool
 * run, milliseconds), for benches and tests over TLS: a test authority, a server and a client certificate it signed (EC P-256,
 * valid two days, for 127.0.0.1 and localhost), a PKCS12 trust store holding it, and a second
 * authority that signed nothing here (a trust store that trusts the wrong one); PEM copies for
 * omniORB. Nothing secret is committed: every file lives in the test's temporary directory, with
 * a random password.
 */
public final class ThrowAwayPki {
    // nothing here is for production: the keys live in a temporary directory, unencrypted in PEM
    /** The password of every store and key here (random per run). */
    public final String password = "pw-" + Long.toHexString(new SecureRandom().nextLong());
    public final Path dir;
    /** The test authority's certificate, PEM (omniORB's certificate_authority_file). */
    public final Path caPem;
    /** A PKCS12 trust store holding the test authority. */
    public final Path truststore;
    /** A PKCS12 trust store holding another authority, which signed nothing here. */
    public final Path wrongTruststore;
    /** The server's key and certificate (CN=troupe-server), signed by the test authority. */
    public final Path serverKeystore;
    /** A client's key and certificate (CN=troupe-client), signed by the test authority. */
    public final Path clientKeystore;
    /**
     * A server key store whose certificate (CN=troupe-outsider, for 127.0.0.1 and localhost) the
     * other authority signed ({@link #wrongTruststore} trusts it; {@link #truststore} does not).
     */
    public final Path outsiderKeystore;
    /** The client's certificate and unencrypted private key, PEM (omniORB's key_file). */
    public final Path clientKeyPem;
    /** A file holding {@link #password}. */
    public final Path passwordFile;

    private ThrowAwayPki(Path dir) throws IOException, GeneralSecurityException {
        this.dir = dir;
        caPem = dir.resolve("ca.pem");
        truststore = dir.resolve("trust.p12");
        wrongTruststore = dir.resolve("wrong-trust.p12");
        serverKeystore = dir.resolve("server.p12");
        clientKeystore = dir.resolve("client.p12");
        outsiderKeystore = dir.resolve("outsider.p12");
        clientKeyPem = dir.resolve("client-key.pem");
        passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);

        KeyPair caKeys = keyPair();
        X509Certificate ca = certificate("Troupe Test CA", caKeys, "Troupe Test CA", caKeys.getPrivate(), true);
        Files.writeString(caPem, pem("CERTIFICATE", ca.getEncoded()));
        trustStore(truststore, ca);
        KeyPair otherKeys = keyPair();
        X509Certificate otherCa = certificate("Some Other CA", otherKeys, "Some Other CA", otherKeys.getPrivate(), true);
        trustStore(wrongTruststore, otherCa);
        KeyPair outsiderKeys = keyPair();
        keyStore(outsiderKeystore, outsiderKeys.getPrivate(),
                certificate("troupe-outsider", outsiderKeys, "Some Other CA", otherKeys.getPrivate(), false), otherCa);
        KeyPair serverKeys = keyPair();
        keyStore(serverKeystore, serverKeys.getPrivate(),
                certificate("troupe-server", serverKeys, "Troupe Test CA", caKeys.getPrivate(), false), ca);
        KeyPair clientKeys = keyPair();
        X509Certificate client = certificate("troupe-client", clientKeys, "Troupe Test CA", caKeys.getPrivate(), false);
        keyStore(clientKeystore, clientKeys.getPrivate(), client, ca);
        Files.writeString(clientKeyPem, pem("CERTIFICATE", client.getEncoded())
                + pem("PRIVATE KEY", clientKeys.getPrivate().getEncoded()));
    }

    /** Makes the PKI in {@code dir}. */
    public static ThrowAwayPki create(Path dir) throws IOException, GeneralSecurityException {
        return new ThrowAwayPki(dir);
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private void trustStore(Path file, X509Certificate ca) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    private void keyStore(Path file, PrivateKey key, X509Certificate cert, X509Certificate ca)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", key, password.toCharArray(), new X509Certificate[] {cert, ca});
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** An X.509 v3 certificate for {@code subject}'s key, signed by {@code issuerKey} (ECDSA, SHA-256). */
    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer,
            PrivateKey issuerKey, boolean authority) throws GeneralSecurityException {
        byte[] ecdsaSha256 = seq(oid("1.2.840.10045.4.3.2"));
        Instant now = Instant.now();
        byte[] extensions = authority
                ? seq(seq(oid("2.5.29.19"), der(0x01, new byte[] {(byte) 0xff}), der(0x04, seq(der(0x01,
                        new byte[] {(byte) 0xff})))),
                        seq(oid("2.5.29.15"), der(0x01, new byte[] {(byte) 0xff}), der(0x04, der(0x03,
                                new byte[] {1, (byte) 0x06})))) // keyCertSign, cRLSign
                : seq(seq(oid("2.5.29.17"), der(0x04, seq(der(0x87, new byte[] {127, 0, 0, 1}),
                        der(0x82, "localhost".getBytes(StandardCharsets.US_ASCII))))));
        byte[] tbs = seq(der(0xa0, der(0x02, new byte[] {2})),
                der(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
                ecdsaSha256, name(issuer),
                seq(time(now.minus(Duration.ofHours(1))), time(now.plus(Duration.ofDays(2)))),
                name(subject), subjectKeys.getPublic().getEncoded(), der(0xa3, extensions));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(issuerKey);
        s.update(tbs);
        byte[] sig = s.sign();
        byte[] bits = new byte[sig.length + 1];
        System.arraycopy(sig, 0, bits, 1, sig.length);
        byte[] cert = seq(tbs, ecdsaSha256, der(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(cert));
    }

    private static byte[] name(String cn) {
        return seq(der(0x31, seq(oid("2.5.4.3"), der(0x0c, cn.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] time(Instant t) {
        return der(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(40 * Integer.parseInt(arcs[0]) + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long v = Long.parseLong(arcs[i]);
            int groups = 1;
            for (long x = v >> 7; x > 0; x >>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                b.write((int) ((v >> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
            }
        }
        return der(0x06, b.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return der(0x30, b.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        int n = content.length;
        if (n < 0x80) {
            b.write(n);
        } else if (n < 0x100) {
            b.write(0x81);
            b.write(n);
        } else {
            b.write(0x82);
            b.write(n >> 8);
            b.write(n & 0xff);
        }
        b.writeBytes(content);
        return b.toByteArray();
    }

    /** The server's configuration, with or without client authentication. */
    public TlsConfig server(boolean clientAuth) {
        return new TlsConfig(serverKeystore, password, truststore, password, clientAuth);
    }

    /**
     * A server whose certificate the other authority signed, trusting the test authority: the
     * test authority's servers and clients refuse it.
     */
    public TlsConfig outsider() {
        return new TlsConfig(outsiderKeystore, password, truststore, password, false);
    }

    /** A client that trusts the test authority, without a certificate of its own. */
    public TlsConfig client() {
        return TlsConfig.client(truststore, password);
    }

    /** A client that trusts the test authority and shows its own certificate. */
    public TlsConfig clientWithCertificate() {
        return new TlsConfig(clientKeystore, password, truststore, password, false);
    }

    /** A client that trusts only another authority. */
    public TlsConfig clientTrustingTheWrongAuthority() {
        return TlsConfig.client(wrongTruststore, password);
    }
}
