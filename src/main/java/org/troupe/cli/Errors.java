package org.troupe.cli;

import org.omg.CORBA.SystemException;
import org.troupe.idl.Events.ChannelExists;
import org.troupe.idl.Events.InvalidName;
import org.troupe.idl.Events.UnknownChannel;

/** Turns exceptions into one clear line for the command line. */
final class Errors {
    private Errors() {
    }

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
        if (e instanceof org.omg.CORBA.TRANSIENT || e instanceof org.omg.CORBA.COMM_FAILURE) {
            return "cannot reach the server (" + e.getClass().getSimpleName() + "): is it running, and is --server right?";
        }
        if (e instanceof SystemException s) {
            return s.getClass().getSimpleName() + (s.getMessage() == null ? "" : ": " + s.getMessage());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
