package org.troupe.cli;

import org.omg.CORBA.SystemException;
import org.troupe.idl.Events.ChannelExists;
import org.troupe.idl.Events.InvalidName;
import org.troupe.idl.Events.UnknownChannel;

/** Turns exceptions into one clear line for the command line. */
final class Errors {
    private Errors() {
    }

    /** The server the command talks to, when known: a failure to reach it is explained if TLS is the cause. */
    static volatile org.troupe.orb.ServerAddress server;

    static String describe(Throwable e) {
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
                || e instanceof org.omg.CORBA.NO_PERMISSION) && server != null) {
            try {
                String why = org.troupe.orb.TlsDiagnosis.explain(server,
                        org.troupe.orb.TlsConfig.fromSystemProperties());
                if (why != null) {
                    return why;
                }
            } catch (IllegalArgumentException bad) {
                return bad.getMessage();
            }
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
