package org.troupe.server.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.slf4j.Marker;

/**
 * Drops the errors Ratis logs, each with a stack trace, when a peer's leader reaches this server
 * before its Raft groups have finished starting ("Failed appendEntries ... The server role is not
 * yet initialized"). That is routine whenever servers of a cluster start or restart together:
 * the leader retries its next heartbeat and the follower answers it. Every other Ratis error
 * still shows, and so does this one once Ratis logging is turned up below ERROR
 * ({@code -Dtroupe.ratis.log=WARN}). Installed by {@code logback.xml}.
 */
public final class RatisLogFilter extends TurboFilter {
    private static final String RATIS = "org.apache.ratis";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (logger == null || !logger.getName().startsWith(RATIS)
                || logger.getEffectiveLevel().toInt() < Level.ERROR_INT) { // asked for more: show all
            return FilterReply.NEUTRAL;
        }
        return notReady(t) || notReadyParam(params) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    private static boolean notReadyParam(Object[] params) {
        if (params == null || params.length == 0) {
            return false;
        }
        return params[params.length - 1] instanceof Throwable last && notReady(last);
    }

    private static boolean notReady(Throwable t) {
        for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
            if (t instanceof ServerNotReadyException) {
                return true;
            }
        }
        return false;
    }
}
