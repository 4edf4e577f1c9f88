package org.troupe.member.stack;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Turn;
import org.troupe.member.model.View;

/**
 * Where the top of the stack hands over to the application side (the member API's {@code
 * Group}): the delivery layer puts, the application side takes. It holds
 * <ul>
 * <li>the bounded delivery queue, in delivery order: {@link Delivery} objects, the work notes the
 * taking thread runs at their place ({@link StackEvent.CaptureState}, {@link
 * StackEvent.QueryDone}), and last a {@link Closed} marker;</li>
 * <li>the state requests a joiner's stack asks the application side to send ({@link
 * StackEvent.RequestState}), bounded, out of delivery order;</li>
 * <li>what was last handed over: the view, the next turns, and why the member is out.</li>
 * </ul>
 * Or, made with an inline sink, no queue: each delivery and note (and the {@link Closed} marker)
 * goes straight to the sink on the thread that delivers it, in delivery order.
 */
public final class Handoff {
    /** State requests that may wait to be sent (a joiner has one outstanding at a time). */
    static final int REQUESTS = 8;

    /** Put in the delivery queue when the member is out; receivers see it and report the reason. */
    public record Closed(String reason) {
    }

    private final BlockingQueue<Object> deliveries;
    private final BlockingQueue<StackEvent.RequestState> requests = new ArrayBlockingQueue<>(REQUESTS);
    private volatile View view;
    private volatile Map<String, Turn> turns = Map.of();
    private volatile String closedReason;
    private final java.util.function.Predicate<Object> inline;

    /** A hand-off whose delivery queue holds up to {@code capacity} deliveries and notes. */
    public Handoff(int capacity) {
        this(capacity, null);
    }

    /**
     * A hand-off that gives every delivery and note to {@code inline} on the delivering thread, if
     * not null (the queue then stays empty; the sink answers false if it has no room, as a full
     * queue would); else as {@link #Handoff(int)}.
     */
    public Handoff(int capacity, java.util.function.Predicate<Object> inline) {
        this.deliveries = new ArrayBlockingQueue<>(inline == null ? capacity : 1);
        this.inline = inline;
    }

    // --- the application's side ---

    /**
     * The delivery queue: {@link Delivery} objects and notes for the taking thread, then a
     * {@link Closed} marker (which a receiver puts back for the others).
     */
    public BlockingQueue<Object> deliveries() {
        return deliveries;
    }

    /** The next state request to send, waiting up to {@code timeoutMillis}; null if none came. */
    public StackEvent.RequestState nextRequest(long timeoutMillis) throws InterruptedException {
        return requests.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The current view: the last one handed over, or the join's. */
    public View view() {
        return view;
    }

    /** The next turn of the first turn-based pattern with {@code type}; null if none has it. */
    public Turn turn(String type) {
        return turns.get(type);
    }

    /** Why the member is out, or null while it is in. */
    public String closedReason() {
        return closedReason;
    }

    // --- the delivery layer's side ---

    void view(View v) {
        this.view = v;
    }

    void turns(Map<String, Turn> next) {
        this.turns = next;
    }

    /** Queues a delivery or a note, waiting up to {@code timeoutMillis} for room; false if none came. */
    boolean offer(Object d, long timeoutMillis) throws InterruptedException {
        if (inline != null) {
            if (org.troupe.trace.HopTrace.ON) {
                org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.MEMBER_QUEUED);
            }
            return inline.test(d);
        }
        boolean queued = deliveries.offer(d, timeoutMillis, TimeUnit.MILLISECONDS);
        if (org.troupe.trace.HopTrace.ON) {
            org.troupe.trace.HopTrace.stamp(org.troupe.trace.HopTrace.Hop.MEMBER_QUEUED);
        }
        return queued;
    }

    /** Queues a state request to send; false if too many wait already. */
    boolean request(StackEvent.RequestState r) {
        return requests.offer(r);
    }

    /**
     * Marks the member out, once: keeps the reason and queues the marker, making room for it
     * (a closed member's unread deliveries yield to it). False if it was out already.
     */
    boolean close(String reason) {
        Closed marker = new Closed(reason);
        synchronized (this) {
            if (closedReason != null) {
                return false;
            }
            closedReason = reason;
            if (inline == null) {
                while (!deliveries.offer(marker)) {
                    deliveries.poll();
                }
                return true;
            }
        }
        // outside this lock: the inline sink may be running a listener that closes the group itself
        inline.test(marker);
        return true;
    }
}
