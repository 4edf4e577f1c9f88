package org.troupe.wire;

/** Limits that server and members agree on. */
public final class Limits {
    /** The most events one batch call carries, and the most messages (or orders) one group call carries. */
    public static final int MAX_BATCH = 4096;

    private Limits() {
    }
}
