package org.troupe.orb;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the lines JacORB logs every time a peer goes away during a call: "Abnormal connection
 * termination. Lost N outstanding replie(s)!" (a connection closed with replies awaited), and
 * "Failed to write GIOP message due to COMM_FAILURE" with the "Underlying transport connection
 * closed due to errors during sendMessage()" that follows it (a write to a closed connection).
 * For an event channel and a group server that is routine: a consumer or member that crashes or
 * exits mid-push. The caller gets the COMM_FAILURE and Troupe logs it once, with the group,
 * member or proxy it concerns ("consumer gone while pushing", "removed: silent for ...").
 * Everything else JacORB's connections log (a malformed GIOP message, a bad version, a lost
 * fragment) still shows, and so does everything once JacORB's logging is turned up below WARN
 * ({@code -Dtroupe.jacorb.log=INFO} or {@code DEBUG}). Installed by {@code logback.xml}.
 */
public final class JacorbLogFilter extends TurboFilter {
    private static final String CONNECTIONS = "org.jacorb.giop.conn";
    private static final String[] ROUTINE = {"Abnormal connection termination.",
        "Failed to write GIOP message due to COMM_FAILURE",
        "Underlying transport connection closed due to errors during sendMessage()"};

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || logger == null || !CONNECTIONS.equals(logger.getName())
                || logger.getEffectiveLevel().toInt() < Level.WARN_INT) { // asked for more: show all
            return FilterReply.NEUTRAL;
        }
        for (String routine : ROUTINE) {
            if (format.startsWith(routine)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
