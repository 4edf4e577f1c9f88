package org.troupe.member;

import org.troupe.member.model.StateTransfer;

/**
 * How to join: a listener for push delivery (otherwise pull with {@link Group#receive}), whether
 * to discard one's own messages (Spread's SELF_DISCARD), whether to volunteer for the group's
 * sequencer, group state transfer (provide it, ask for it), and the
 * sizes of the member's bounded queues.
 */
public final class JoinOptions {
    GroupListener listener;
    boolean inline;
    boolean selfDiscard;
    boolean sequencer;
    int deliveryCapacity = 65536;
    long deliveryTimeoutMillis = 10_000;
    int sendQueue = 128;
    int maxBatch = 128;
    int sendQueueBytes = 8 << 20;
    int holdBackLimit = 1 << 20;
    StateProvider stateProvider;
    boolean requestState;
    String stateFromRole;
    long stateTimeoutMillis = 10_000;
    String joinKey = processJoinKey;
    /** The join key every JoinOptions made from now on in this process starts with (the CLI's). */
    private static volatile String processJoinKey;

    public static JoinOptions defaults() {
        return new JoinOptions();
    }

    /** Push delivery: the listener is called on the group's delivery thread. */
    public JoinOptions listener(GroupListener l) {
        this.listener = l;
        this.inline = false;
        return this;
    }

    /**
     * Push delivery on the thread that received the message (the ORB's), as JGroups calls its
     * receiver: over plain IIOP the connection's reader thread itself ({@link
     * org.troupe.orb.ReaderDispatch}), so the lowest latency. Deliveries are still one at a time
     * and in order; the other groups of the same connection wait while it runs. The listener must return quickly and must never wait for
     * another delivery (a query's answers, {@link Group#receive}, a flush): while it runs, the
     * member receives nothing, its channel is held back, and its heartbeats wait, so a listener
     * that blocks for the group's suspect time gets the member removed. It may send; it may not join
     * (an {@link IllegalStateException}: over plain IIOP the server would call the member back
     * over the connection whose reader runs the listener).
     */
    public JoinOptions listenerInline(GroupListener l) {
        this.listener = l;
        this.inline = true;
        return this;
    }

    /** Do not deliver this member's own messages back to it. */
    public JoinOptions selfDiscard(boolean on) {
        this.selfDiscard = on;
        return this;
    }

    /** Volunteer to hold the group's sequencer (the oldest volunteer in the view holds it). */
    public JoinOptions sequencer(boolean on) {
        this.sequencer = on;
        return this;
    }

    /**
     * Deliveries that may wait for the application, and how long the stack waits when that queue
     * is full before the member fails (the channel is held back meanwhile).
     */
    public JoinOptions deliveryQueue(int capacity, long timeoutMillis) {
        if (capacity < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("delivery queue: capacity and time-out must be positive");
        }
        this.deliveryCapacity = capacity;
        this.deliveryTimeoutMillis = timeoutMillis;
        return this;
    }

    /**
     * Messages that may wait to be sent (default 128), and the most sent in one call to the server
     * (default 128; fewer when their payloads pass 1 MiB). A call carries what queued during the
     * previous one. At saturation the queue is what a message waits behind, and larger calls cost
     * less CPU per message only for a while: in the total-order benchmark at 4 members larger
     * batches helped runs of 200000 messages, not runs of 100000 and not steady state (1M), and
     * cost latency, most at 16 members (docs/total-order-performance.md). A server takes at most
     * 4096 messages in one call.
     */
    public JoinOptions sendQueue(int capacity, int batch) {
        if (capacity < 1 || batch < 1) {
            throw new IllegalArgumentException("send queue: capacity and batch must be positive");
        }
        if (batch > org.troupe.wire.Limits.MAX_BATCH) {
            throw new IllegalArgumentException("send queue: a batch is at most " + org.troupe.wire.Limits.MAX_BATCH
                    + " messages (one send call), got " + batch);
        }
        this.sendQueue = capacity;
        this.maxBatch = batch;
        return this;
    }

    /**
     * Payload octets that may wait to be sent (default 8 MiB): with the message bound, it keeps a
     * queue of large messages from taking the heap. A message counts its payload length, at least
     * 1 (so a bound below the message bound also limits how many empty messages wait), and a
     * message larger than the bound waits until nothing else is queued or being sent, then goes.
     */
    public JoinOptions sendQueueBytes(int octets) {
        if (octets < 1) {
            throw new IllegalArgumentException("send queue: octets must be positive");
        }
        this.sendQueueBytes = octets;
        return this;
    }

    /**
     * Provides the group's state to joiners that ask for it (see {@link StateProvider}). A member
     * without one answers a request with "none", and the joiner asks the next member.
     */
    public JoinOptions stateProvider(StateProvider provider) {
        this.stateProvider = provider;
        return this;
    }

    /**
     * Ask for the group's state on joining: the first delivery after the join's view is a
     * {@link StateTransfer}, from the oldest earlier member that provides one.
     */
    public JoinOptions requestState() {
        return requestState(null);
    }

    /** As {@link #requestState()}, asking only members in {@code role} (e.g. the Teacher), oldest first. */
    public JoinOptions requestState(String role) {
        this.requestState = true;
        this.stateFromRole = role;
        return this;
    }

    /** How long one member may take to answer a state request before the next is asked (default 10 s). */
    public JoinOptions stateTimeout(java.time.Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("state time-out must be positive");
        }
        this.stateTimeoutMillis = timeout.toMillis();
        return this;
    }

    /**
     * The group's join key, for a group created with one (given to its members out of band);
     * null: none. It travels to the server as the join does: in cleartext unless over TLS.
     */
    public JoinOptions joinKey(String key) {
        this.joinKey = key;
        return this;
    }

    /** The group's join key read from {@code file}: its text without surrounding white space. */
    public JoinOptions joinKeyFile(java.nio.file.Path file) {
        return joinKey(readJoinKey(file));
    }

    /**
     * The join key read from {@code file}: its text without surrounding white space.
     *
     * @throws IllegalArgumentException the file cannot be read, is empty or longer than 1024 characters
     */
    public static String readJoinKey(java.nio.file.Path file) {
        try {
            if (java.nio.file.Files.size(file) > 1026) {
                throw new IllegalArgumentException("join key file " + file + " holds more than 1024 characters");
            }
            String key = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("join key file " + file + " is empty");
            }
            return key;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read join key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The join key every {@link #defaults()} made from now on in this process starts with (null:
     * none). For a program that joins one keyed group, such as the command line.
     */
    public static void useJoinKeyForThisProcess(String key) {
        processJoinKey = key;
    }

    /** The join key this process's joins start with (null: none). */
    public static String joinKeyForThisProcess() {
        return processJoinKey;
    }
}
