package org.troupe.server.groups;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a group's commands go to be applied in the group's one order: here, under a lock, on one
 * server ({@link LocalCommandLog}); through a replicated log first, in a cluster. Whoever applies
 * a command publishes its events before the next one, so the group's channel carries them in
 * sequence order.
 */
public interface CommandLog {

    /**
     * Applies {@code command} and publishes its events; returns its outcome.
     *
     * @param flowControlled true for a send or an order: it waits (bounded) while the group's
     *     channel is full, before it is applied
     * @param onApplied null, or what the caller must record once the command is applied and
     *     before its events are published (a joiner's consumer learns its member id), run in the
     *     group's order
     * @throws InterruptedException if the server stops meanwhile
     */
    Outcome submit(GroupCommand command, boolean flowControlled, Consumer<Outcome> onApplied)
            throws InterruptedException;

    /** {@link #submit(GroupCommand, boolean, Consumer)} with nothing to record. */
    default Outcome submit(GroupCommand command, boolean flowControlled) throws InterruptedException {
        return submit(command, flowControlled, null);
    }

    /** Publishes one outcome's events, in order, without waiting; may read the core. */
    @FunctionalInterface
    interface Publisher {
        void publish(GroupCore core, List<GroupEvent> events);
    }

    /** Reads the core, between two commands. */
    <T> T read(Function<GroupCore, T> query);

    /**
     * Runs {@code then} between two commands with the core and the events published after the
     * one that carried sequence id {@code received} (null if they are not held here): what a
     * member resuming on this server needs, without a gap before the next command's events.
     */
    <T> T resume(long received, BiFunction<GroupCore, List<GroupEvent>, T> then);

    /**
     * The command could not be applied now, and may or may not have been (a replicated log lost
     * its leader, or did not answer in time): the caller retries with the same command, which the
     * core applies at most once.
     */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
