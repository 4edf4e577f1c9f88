package org.troupe.server.groups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * Failure detection for one group, kept where the group is hosted (it is not replicated: only its
 * decisions are, as {@link GroupCommand.Remove}). It records when each member was last heard
 * (heartbeats, sends, orders: lock-free), which members' consumers the channel cut off, and
 * decides, given the time and the core's state, who must go: a member silent longer than the
 * suspect time, a member the channel cut off (it would miss messages while still in the view),
 * and a member that holds the sequencer but left a message unordered for the suspect time (it
 * orders nothing, or censors some senders) or lets too many wait. It never calls a channel or a
 * member.
 */
public final class Liveness {
    /** The most messages a member sequencer may leave unordered before it is removed. */
    public static final int MAX_UNORDERED = 65_536;
    /** How each reason for a removal starts (see {@link RemovalReason#ofLiveness}). */
    static final String SILENT = "silent for";
    static final String CUT_OFF = "its channel cut it off";
    static final String SEQUENCER_STALLED = "it holds the sequencer";

    private final long suspectNanos;
    private final Map<Long, Watch> watched = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<CutOff> cutOffs = new ConcurrentLinkedQueue<>();
    private volatile long viewId;
    /** Since when this server has listened without a pause (nanoseconds), if it paused at all. */
    private volatile long listeningSince;
    private volatile boolean paused;

    /** A watched member: its token and when it was last heard. */
    private static final class Watch {
        final String token;
        volatile long lastHeardNanos;
        /** When its stack last resumed (a new consumer on the channel); the watch's start if never. */
        volatile long resumedNanos;

        Watch(String token, long now) {
            this.token = token;
            this.lastHeardNanos = now;
            this.resumedNanos = now;
        }
    }

    /** A member's consumer that the channel cut off, why, and when (its id may come later). */
    private record CutOff(LongSupplier member, String reason, long nanos) {
    }

    public Liveness(long suspectMillis) {
        this.suspectNanos = suspectMillis * 1_000_000L;
    }

    /**
     * Watches exactly these members (id to token) from now on, as of view {@code viewId}: new ones
     * count as heard now, departed ones are forgotten. Called after every view change, and when
     * this server starts hosting the group (every member then gets a full suspect time).
     */
    public void follow(Map<Long, String> members, long viewId, long now) {
        watched.keySet().retainAll(members.keySet());
        for (Map.Entry<Long, String> e : members.entrySet()) {
            watched.computeIfAbsent(e.getKey(), id -> new Watch(e.getValue(), now));
        }
        this.viewId = viewId;
    }

    /**
     * The member proved it is alive (a heartbeat, a send, an order). Returns the current view id,
     * or -1 if this id and token are not a watched member (the caller asks the core why).
     */
    public long heard(long member, String token, long now) {
        Watch w = watched.get(member);
        if (w == null || !Admission.sameSecret(w.token, token)) {
            return -1;
        }
        w.lastHeardNanos = now;
        return viewId;
    }

    /**
     * The member's stack resumed (a new consumer on the channel, see {@code
     * GroupManager::resume}): a cut-off of its earlier consumer no longer counts against a member
     * that can move between servers (see {@link #decide}).
     */
    public void resumed(long member, long now) {
        Watch w = watched.get(member);
        if (w != null) {
            w.resumedNanos = now;
        }
    }

    /** Per watched member, nanoseconds since it was last heard (for operators). */
    public Map<Long, Long> heardAgo(long now) {
        Map<Long, Long> out = new java.util.HashMap<>();
        watched.forEach((id, w) -> out.put(id, Math.max(0, now - w.lastHeardNanos)));
        return out;
    }

    /**
     * The channel cut off a member's consumer (recorded from the channel's threads). {@code member}
     * is read when deciding: 0 while its join is not done yet, which then waits up to the suspect time.
     */
    public void cutOff(LongSupplier member, String reason, long now) {
        cutOffs.add(new CutOff(member, reason, now));
    }

    /**
     * This server did not run until {@code now} (see {@link PauseDetector}): nobody could be
     * heard meanwhile, so every member counts as heard now; a sequencer holder, and the cut-offs
     * the channel reports, are judged only once the server has listened again for the suspect
     * time (as when a server starts hosting a group).
     */
    public void excuse(long now) {
        for (Watch w : watched.values()) {
            if (w.lastHeardNanos - now < 0) {
                w.lastHeardNanos = now;
            }
        }
        listeningSince = now;
        paused = true;
    }

    /**
     * Who must be removed now, with the reason; empty if nobody. Reads {@code core}: call it
     * where the core may be read (under the group's lock, or on its apply thread).
     */
    public List<GroupCommand.Removal> decide(long now, GroupCore core) {
        Map<Long, String> out = new LinkedHashMap<>();
        long deadline = now - suspectNanos;
        long suspectMs = suspectNanos / 1_000_000L;
        // after a pause, what the channel and the sequencer show is judged once the server has
        // listened again for the suspect time: a server that was paused has most likely lost its
        // groups to a new leader, and its members moved away from its channel
        boolean listenedLongEnough = !paused || deadline - listeningSince >= 0;
        if (listenedLongEnough) {
            List<CutOff> waiting = new ArrayList<>();
            for (CutOff c; (c = cutOffs.poll()) != null;) {
                long id = c.member().getAsLong();
                Watch w = id == 0 ? null : watched.get(id);
                if (w != null && core.movesBetweenServers(id)) {
                    // a hosted member whose server died is cut off by the channel at once, but another
                    // server takes it over (and resumes it: a new consumer) well within the suspect time
                    if (w.resumedNanos - c.nanos() > 0) {
                        continue; // resumed since: the cut-off consumer is gone, the member is not
                    }
                    if (now - c.nanos() < suspectNanos) {
                        waiting.add(c);
                        continue;
                    }
                    out.putIfAbsent(id, CUT_OFF + " (" + c.reason() + ") and it did not resume within " + suspectMs
                            + " ms");
                } else if (id != 0) {
                    if (w != null) {
                        out.putIfAbsent(id, CUT_OFF + " (" + c.reason() + ")");
                    }
                } else if (now - c.nanos() < suspectNanos) {
                    waiting.add(c);
                }
            }
            cutOffs.addAll(waiting);
        }
        // a stalled holder goes: its flush orders what waits; the next volunteer takes over
        if (listenedLongEnough && core.sequencerStalledSince(deadline)) {
            out.putIfAbsent(core.view().sequencer(), SEQUENCER_STALLED + " but left a message unordered for more"
                    + " than " + suspectMs + " ms");
        } else if (listenedLongEnough && core.unordered() > MAX_UNORDERED) {
            out.putIfAbsent(core.view().sequencer(), SEQUENCER_STALLED + " but let more than " + MAX_UNORDERED
                    + " messages wait unordered");
        }
        for (Map.Entry<Long, Watch> e : watched.entrySet()) {
            if (e.getValue().lastHeardNanos - deadline < 0) {
                out.putIfAbsent(e.getKey(), SILENT + " more than " + suspectMs + " ms");
            }
        }
        List<GroupCommand.Removal> removals = new ArrayList<>(out.size());
        out.forEach((id, why) -> removals.add(new GroupCommand.Removal(id, why)));
        return removals;
    }
}
