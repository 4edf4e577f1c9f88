package org.troupe.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One named state replicated by the cluster (a Troupe group's core, the directory, a test's toy
 * list). Every server holds a copy; the cluster feeds every copy the same commands in the same
 * order, so a deterministic state ends up identical everywhere.
 *
 * <p>Calls to one state never overlap: {@link #apply}, {@link #writeSnapshot},
 * {@link #readSnapshot} and {@link #leadershipChanged} are made one at a time (under the lock of
 * its Raft group), so an implementation needs no locking of its own against them. They should
 * be quick: a Raft group applies its entries on one thread.
 */
public interface ReplicatedState {
    /**
     * Applies one committed command, in log order, on every server. Must be deterministic: the
     * same commands from the same state give the same state and results everywhere (time and
     * random tokens travel inside commands). The result goes back to the submitter's future. A
     * {@link RuntimeException} fails that command's future with {@link CommandFailedException}
     * on the submitter and leaves the other commands of its batch alone; it must be deterministic
     * too.
     *
     * @param index this command's position in its Raft group's order: 1, 2, 3, ... with no gap,
     *     the same on every server (several states of one shard share the sequence)
     * @param command the submitted bytes
     * @return the result for the submitter (null is an empty result)
     */
    byte[] apply(long index, byte[] command);

    /**
     * {@link #apply(long, byte[])}, told also the Raft term of the log entry that carries the
     * command: the term of the leader that appended it, the same on every server. A state that
     * must refuse what a deposed leader decided (a decision stamped with an older term) overrides
     * this one; the cluster calls this one.
     */
    default byte[] apply(long index, long term, byte[] command) {
        return apply(index, command);
    }

    /** Writes the whole state, for a snapshot; must not close {@code out}. */
    void writeSnapshot(OutputStream out) throws IOException;

    /** Replaces the whole state with one {@link #writeSnapshot} wrote (on a fresh instance). */
    void readSnapshot(InputStream in) throws IOException;

    /**
     * This server became the leader of the state's Raft group (every earlier command applied),
     * or stopped being it. Not replicated and not ordered with other servers: use it to start or
     * stop serving, never to change the state. A state created on a leader is told at once.
     */
    default void leadershipChanged(boolean leader, long term) {
    }

    /** Makes the states of a server, by name. Called on the Raft group's apply thread. */
    interface Factory {
        /** The directory's state (the one state of the directory's Raft group). */
        ReplicatedState createDirectory();

        /**
         * A new, empty state for this name, created the first time a command for it is applied
         * (or when a snapshot holding it is loaded). Must be deterministic; an exception fails
         * the command that needed it.
         */
        ReplicatedState create(String stateName);
    }
}
