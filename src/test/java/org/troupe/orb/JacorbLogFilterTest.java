package org.troupe.orb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * Troupe's {@code logback.xml}, loaded into a context of its own: JacORB's lines about a peer
 * that went away mid-call are dropped, its protocol errors and Troupe's own lines are kept.
 */
@Tag("unit")
class JacorbLogFilterTest {
    private static List<String> logged(java.util.function.Consumer<LoggerContext> logging) throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator config = new JoranConfigurator();
        config.setContext(context);
        config.doConfigure(JacorbLogFilterTest.class.getResource("/logback.xml"));
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAndStopAllAppenders(); // not onto the test's stderr
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
        try {
            logging.accept(context);
            return seen.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
                    .toList();
        } finally {
            context.stop();
        }
    }

    @Test
    void peerGoneLinesAreDroppedProtocolErrorsAndTroupesLinesKept() throws Exception {
        List<String> lines = logged(c -> {
            Logger conn = c.getLogger("org.jacorb.giop.conn");
            conn.warn("Abnormal connection termination. Lost 1 outstanding replie(s)!");
            conn.error("Failed to write GIOP message due to COMM_FAILURE, in ClientGIOPConnection to 127.0.0.1:41487");
            conn.error("Underlying transport connection closed due to errors during sendMessage(), in "
                    + "ClientGIOPConnection to 127.0.0.1:41487");
            conn.error("Invalid GIOP major version encountered: 7, in ServerGIOPConnection from 127.0.0.1:5000");
            c.getLogger("org.troupe.server.events.PushDispatcher").warn("member-3: consumer gone while pushing 12 events");
            c.getLogger("org.jacorb.poa").debug("below JacORB's level: not shown");
        });
        assertEquals(List.of(
                "ERROR org.jacorb.giop.conn Invalid GIOP major version encountered: 7, in ServerGIOPConnection from "
                        + "127.0.0.1:5000",
                "WARN org.troupe.server.events.PushDispatcher member-3: consumer gone while pushing 12 events"), lines);
    }

    @Test
    void withJacorbLoggingTurnedUpNothingIsDropped() throws Exception {
        String before = System.getProperty("troupe.jacorb.log");
        System.setProperty("troupe.jacorb.log", "INFO");
        try {
            List<String> lines = logged(c -> c.getLogger("org.jacorb.giop.conn")
                    .warn("Abnormal connection termination. Lost 1 outstanding replie(s)!"));
            assertEquals(List.of("WARN org.jacorb.giop.conn Abnormal connection termination. Lost 1 outstanding "
                    + "replie(s)!"), lines);
        } finally {
            if (before == null) {
                System.clearProperty("troupe.jacorb.log");
            } else {
                System.setProperty("troupe.jacorb.log", before);
            }
        }
    }

    @Test
    void theSameLinesFromAnotherLoggerAreKept() throws Exception {
        List<String> lines = logged(c -> c.getLogger("org.jacorb.orb")
                .warn("Abnormal connection termination. Lost 1 outstanding replie(s)!"));
        assertEquals(List.of("WARN org.jacorb.orb Abnormal connection termination. Lost 1 outstanding replie(s)!"),
                lines);
    }

    @Test
    void aRatisPeerNotReadyIsDroppedOtherRatisErrorsKept() throws Exception {
        List<String> lines = logged(c -> {
            Logger division = c.getLogger("org.apache.ratis.server.RaftServer$Division");
            division.error("s3@group-1: Failed appendEntries* s1->s3#46-t1,HEARTBEAT",
                    new org.apache.ratis.protocol.exceptions.ServerNotReadyException("s3: not yet initialized"));
            division.error("s3@group-1: Failed appendEntries* s1->s3#47-t1",
                    new java.util.concurrent.CompletionException(
                            new org.apache.ratis.protocol.exceptions.ServerNotReadyException("wrapped")));
            division.error("s3@group-1: failed to apply", new IllegalStateException("a real error"));
        });
        assertEquals(List.of("ERROR org.apache.ratis.server.RaftServer$Division s3@group-1: failed to apply"), lines);
    }
}
