package org.troupe.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.omg.CORBA.SystemException;
import org.troupe.idl.Events.ChannelExists;
import org.troupe.idl.Events.InvalidName;
import org.troupe.idl.Events.UnknownChannel;
import org.troupe.orb.ServerAddress;

/**
 * Turns exceptions into one clear line for the command line, and, with {@code --verbose}, the
 * stack trace after it.
 */
final class Errors {
    private Errors() {
    }

    /** What a user is told when the server wants the admin credential and none was given. */
    static final String ADMIN_CREDENTIAL_REQUIRED = "the server requires the admin credential: give "
            + "--admin-secret-file or set TROUPE_ADMIN_SECRET_FILE";
    /** What a user is told when the server refused the admin credential given. */
    static final String ADMIN_CREDENTIAL_WRONG = "the server refused the admin credential given: check "
            + "--admin-secret-file or TROUPE_ADMIN_SECRET_FILE (every server of a cluster has the same secret)";

    /** The server the command talks to, when known: a failure to reach it is explained if TLS is the cause. */
    static volatile org.troupe.orb.ServerAddress target;

    static String describe(Throwable e) {
        return describe(e, null);
    }

    /**
     * @param server the {@code --server} the command was given (null if none): a server that
     *     cannot be reached is named
     */
    static String describe(Throwable e, String server) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.omg.CORBA.NO_PERMISSION p) {
                if (p.minor == org.troupe.orb.AdminOperations.MINOR_MISSING) {
                    return ADMIN_CREDENTIAL_REQUIRED;
                }
                if (p.minor == org.troupe.orb.AdminOperations.MINOR_WRONG) {
                    return ADMIN_CREDENTIAL_WRONG;
                }
            }
        }
        if (e instanceof UnknownChannel u) {
            return "no channel named '" + u.name + "'";
        }
        if (e instanceof ChannelExists c) {
            return "a channel named '" + c.name + "' already exists";
        }
        if (e instanceof InvalidName i) {
            return "invalid channel name '" + i.name + "': " + i.reason;
        }
        if ((e instanceof org.omg.CORBA.TRANSIENT || e instanceof org.omg.CORBA.COMM_FAILURE
                || e instanceof org.omg.CORBA.NO_PERMISSION) && target != null) {
            try {
                String why = org.troupe.orb.TlsDiagnosis.explain(target,
                        org.troupe.orb.TlsConfig.fromSystemProperties());
                if (why != null) {
                    return why;
                }
            } catch (IllegalArgumentException bad) {
                return bad.getMessage();
            }
        }
        if (e instanceof org.omg.CORBA.TRANSIENT || e instanceof org.omg.CORBA.COMM_FAILURE) {
            return "cannot reach the Troupe server at " + where(server) + " (" + e.getClass().getSimpleName()
                    + "): is 'troupe server' running there, and is the address right?";
        }
        if (e instanceof SystemException s) {
            return s.getClass().getSimpleName() + (s.getMessage() == null ? "" : ": " + s.getMessage());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The servers a {@code --server} value names ({@code HOST:PORT, ...}), as Troupe's own messages name them. */
    private static String where(String server) {
        if (server == null) {
            return "the address given (--server)";
        }
        try {
            return String.join(", ", ServerAddress.parse(server).endpoints().stream()
                    .map(ServerAddress.Endpoint::hostPort).toList());
        } catch (RuntimeException notAnAddress) {
            return server;
        }
    }

    /** The stack trace of {@code e}, causes included, for {@code --verbose}. */
    static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        try (PrintWriter p = new PrintWriter(w)) {
            e.printStackTrace(p);
        }
        return w.toString();
    }
}
