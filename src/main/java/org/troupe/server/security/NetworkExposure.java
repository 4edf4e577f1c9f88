package org.troupe.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * No server is open to a network by accident: a server that listens on an address other than a
 * loopback one must authenticate its administrators (an admin credential, or TLS client
 * authentication once it exists), unless its operator says {@code --insecure}. On loopback it
 * stays open, as it always was: only this machine's users reach it.
 */
public final class NetworkExposure {
    private NetworkExposure() {
    }

    /** True if {@code host} names only this machine (127.0.0.0/8, ::1, "localhost"). */
    public static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false; // it will fail to bind anyway; never call it loopback
        }
    }

    /**
     * Why a server may not start this way, or null if it may.
     *
     * @param host the address it listens on ({@code --host})
     * @param adminCredential it has an admin credential ({@code --admin-secret-file})
     * @param clientCertificates it requires TLS client certificates (false until TLS exists)
     * @param insecure the operator chose to serve openly ({@code --insecure})
     */
    public static String refusal(String host, boolean adminCredential, boolean clientCertificates, boolean insecure) {
        if (adminCredential || clientCertificates || insecure || isLoopback(host)) {
            return null;
        }
        return "refusing to listen on " + host + " without authentication: anyone who reaches it could create and"
                + " destroy groups and channels, host members and rebind names. Give --admin-secret-file FILE"
                + " (a secret only its owner can read), or --insecure to serve openly on a network you trust";
    }
}
