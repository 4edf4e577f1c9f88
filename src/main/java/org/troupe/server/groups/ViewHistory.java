package org.troupe.server.groups;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest view changes of one copy of a group, for operators: who joined, who left and who
 * was removed, and why, with the wall-clock time this copy applied each change. Bounded: the
 * oldest change goes when a new one comes past {@link #CAPACITY}. Written by the core's single
 * writer, read from any thread. Like {@link GroupTraffic} it is local to this copy and not part
 * of the group's snapshot (a server that starts shows the changes it applied itself).
 */
public final class ViewHistory {
    /** Changes kept per group. */
    public static final int CAPACITY = 32;

    /** How a member came into or went out of a view, as an operator names it. */
    public enum Cause {
        JOINED("joined"),
        LEFT("left"),
        /** Fell silent, or became unreachable: the process died or its host or link did. */
        CRASHED("crashed"),
        /** Cut off while reachable (too slow to take its events), or a sequencer holder that stalled. */
        REMOVED("removed");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /**
         * The cause of a removal by the group's liveness: silence, or a channel cut-off for any
         * reason but a full queue, is a crash; a full queue or a stalled sequencer is a removal.
         */
        public static Cause ofRemoval(RemovalReason reason, String why) {
            return switch (reason) {
                case SILENT -> CRASHED;
                case CUT_OFF -> why != null && why.contains("queue full") ? REMOVED : CRASHED;
                case LEFT -> LEFT;
                default -> REMOVED;
            };
        }
    }

    /** One member's part in a view change: who, how, and (for a removal) why in words. */
    public record Change(MemberInfo member, Cause cause, String why) {
    }

    /** One view change: the view it installed, when this copy applied it, and what changed. */
    public record ViewChange(long view, long epochMillis, List<Change> changes) {
        public ViewChange {
            changes = List.copyOf(changes);
        }
    }

    private final ArrayDeque<ViewChange> changes = new ArrayDeque<>(CAPACITY);

    synchronized void record(ViewChange change) {
        if (changes.size() == CAPACITY) {
            changes.removeFirst();
        }
        changes.addLast(change);
    }

    /** The changes kept, oldest first. */
    public synchronized List<ViewChange> recent() {
        return List.copyOf(new ArrayList<>(changes));
    }
}
