package org.troupe.server.cluster;

import java.security.GeneralSecurityException;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.troupe.orb.TlsConfig;

/**
 * Raft traffic between the servers of a cluster over mutual TLS: every connection a server
 * accepts on its Raft port (votes, log replication, client and admin calls) and every connection
 * it opens to another server shows this server's certificate (its key store) and accepts only a
 * peer whose certificate an authority of its trust store signed. A server whose certificate the
 * others do not trust therefore neither votes nor receives the log: it never joins the Raft
 * groups.
 *
 * <p>Ratis 3.3 has TLS for its RPC only over gRPC ({@code ratis-netty} secures its DataStream,
 * not its RPC), so a cluster with TLS runs Raft over gRPC ({@link ClusterConfig.Transport#GRPC}).
 * gRPC also checks that the certificate a server shows names the host it was reached at (a
 * subject alternative name), unlike JacORB: each server's certificate must name its Raft host.
 */
public final class RaftTls {
    private RaftTls() {
    }

    /**
     * The Ratis parameters (server, client and admin TLS) of a server with these stores; empty
     * parameters when {@code tls} is null (plaintext Raft).
     *
     * @throws IllegalArgumentException a store cannot be read, or there is no key store
     */
    public static Parameters parameters(TlsConfig tls) {
        Parameters p = new Parameters();
        if (tls == null) {
            return p;
        }
        if (tls.keystore() == null) {
            throw new IllegalArgumentException("Raft over TLS needs a key store (--keystore): each server shows its "
                    + "certificate to the others");
        }
        GrpcTlsConfig conf;
        try {
            conf = new GrpcTlsConfig(tls.keyManager(), tls.trustManager(), true);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the key or trust store for Raft over TLS: " + e.getMessage(),
                    e);
        }
        GrpcConfigKeys.Server.setTlsConf(p, conf);
        GrpcConfigKeys.Client.setTlsConf(p, conf);
        GrpcConfigKeys.Admin.setTlsConf(p, conf);
        return p;
    }
}
