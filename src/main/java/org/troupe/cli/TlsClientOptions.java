package org.troupe.cli;

import java.nio.file.Path;
import org.troupe.orb.TlsConfig;
import picocli.CommandLine.Option;

/**
 * The TLS options of every command that talks to a server. They set the {@code troupe.tls.*}
 * system properties that {@code Troupe.connect} and {@code EventServiceClient.connect} read
 * ({@link TlsConfig#fromSystemProperties}), so that every way a command connects (members,
 * applications, channel tools) uses them; {@link TroupeCli#run} restores the properties after
 * each command. Passwords come from files or environment variables, never the command line.
 */
final class TlsClientOptions {
    @Option(names = "--tls", description = "Talk to the server over TLS (IIOP over TLS; needs --truststore).")
    void tls(boolean on) {
        System.setProperty(TlsConfig.TLS_PROPERTY, Boolean.toString(on));
    }

    @Option(names = "--truststore", paramLabel = "FILE", description = "Over TLS: the authorities whose server "
            + "certificates this client trusts (PKCS12 or JKS; implies --tls).")
    void truststore(Path file) {
        System.setProperty(TlsConfig.TRUSTSTORE_PROPERTY, file.toString());
    }

    @Option(names = "--truststore-password-file", paramLabel = "FILE", description = "The trust store's password "
            + "(first line; else $" + TlsConfig.TRUSTSTORE_PASSWORD_ENV + ", else 'changeit').")
    void truststorePasswordFile(Path file) {
        System.setProperty(TlsConfig.TRUSTSTORE_PASSWORD_FILE_PROPERTY, file.toString());
    }

    @Option(names = "--keystore", paramLabel = "FILE", description = "Over TLS: this client's certificate and key, "
            + "for a server that requires client certificates.")
    void keystore(Path file) {
        System.setProperty(TlsConfig.KEYSTORE_PROPERTY, file.toString());
    }

    @Option(names = "--keystore-password-file", paramLabel = "FILE", description = "The key store's password "
            + "(first line; else $" + TlsConfig.KEYSTORE_PASSWORD_ENV + ").")
    void keystorePasswordFile(Path file) {
        System.setProperty(TlsConfig.KEYSTORE_PASSWORD_FILE_PROPERTY, file.toString());
    }
}
