package org.troupe.cli;

import java.nio.file.Path;
import org.troupe.orb.TlsConfig;
import picocli.CommandLine.Option;

/** {@code troupe server}'s TLS options; passwords come from files or environment variables. */
final class ServerTlsOptions {
    @Option(names = "--tls", description = "Serve IIOP over TLS only, on --port: plaintext clients are refused "
            + "(needs --keystore and --truststore).")
    boolean tls;

    @Option(names = "--keystore", paramLabel = "FILE", description = "With --tls: the server's certificate and "
            + "private key (PKCS12 or JKS).")
    Path keystore;

    @Option(names = "--keystore-password-file", paramLabel = "FILE", description = "The key store's password "
            + "(first line; else $" + TlsConfig.KEYSTORE_PASSWORD_ENV + ").")
    Path keystorePasswordFile;

    @Option(names = "--truststore", paramLabel = "FILE", description = "With --tls: the authorities the server "
            + "trusts, for client certificates and for the call-backs it opens (PKCS12 or JKS).")
    Path truststore;

    @Option(names = "--truststore-password-file", paramLabel = "FILE", description = "The trust store's password "
            + "(first line; else $" + TlsConfig.TRUSTSTORE_PASSWORD_ENV + ", else 'changeit').")
    Path truststorePasswordFile;

    @Option(names = "--tls-client-auth", description = "With --tls: refuse clients without a certificate signed by "
            + "an authority of --truststore.")
    boolean clientAuth;

    /**
     * The server's TLS configuration, or null without {@code --tls}.
     *
     * @throws IllegalArgumentException an option is missing, misplaced or unreadable (one sentence)
     */
    TlsConfig config() {
        if (!tls) {
            if (keystore != null || truststore != null || clientAuth || keystorePasswordFile != null
                    || truststorePasswordFile != null) {
                throw new IllegalArgumentException("--keystore, --truststore and --tls-client-auth go with --tls");
            }
            return null;
        }
        if (keystore == null || truststore == null) {
            throw new IllegalArgumentException("--tls needs --keystore FILE (the server's certificate and key) and "
                    + "--truststore FILE (the authorities it trusts)");
        }
        String keyPassword = TlsConfig.password(keystorePasswordFile, TlsConfig.KEYSTORE_PASSWORD_ENV, "key store");
        if (keyPassword == null) {
            throw new IllegalArgumentException("--tls needs the key store's password: --keystore-password-file FILE "
                    + "or $" + TlsConfig.KEYSTORE_PASSWORD_ENV);
        }
        TlsConfig c = new TlsConfig(keystore, keyPassword, truststore,
                TlsConfig.password(truststorePasswordFile, TlsConfig.TRUSTSTORE_PASSWORD_ENV, "trust store"), clientAuth);
        c.check(true);
        return c;
    }
}
