package org.troupe.cli;

import org.omg.CORBA.SystemException;
import org.troupe.idl.Events.ChannelExists;
import org.troupe.idl.Events.InvalidName;
import org.troupe.idl.Events.UnknownChannel;

/** Turns exceptions into one clear line for the command line. */
final class Errors {
    private Errors() {
    }

    /** What a user is told when the server wants the admin credential and none was given. */
    static final String ADMIN_CREDENTIAL_REQUIRED = "the server requires the admin credential: give "
            + "--admin-secret-file or set TROUPE_ADMIN_SECRET_FILE";
    /** What a user is told when the server refused the admin credential given. */
    static final String ADMIN_CREDENTIAL_WRONG = "the server refused the admin credential given: check "
            + "--admin-secret-file or TROUPE_ADMIN_SECRET_FILE (every server of a cluster has the same secret)";

    static String describe(Throwable e) {
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
        if (e instanceof org.omg.CORBA.TRANSIENT || e instanceof org.omg.CORBA.COMM_FAILURE) {
            return "cannot reach the server (" + e.getClass().getSimpleName() + "): is it running, and is --server right?";
        }
        if (e instanceof SystemException s) {
            return s.getClass().getSimpleName() + (s.getMessage() == null ? "" : ": " + s.getMessage());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
