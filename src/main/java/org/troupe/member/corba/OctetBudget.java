package org.troupe.member.corba;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.troupe.member.model.GroupMessage;

/**
 * The payload octets a member's send queue may hold. A message costs its payload length, at least
 * 1 and at most the whole budget: a message larger than the budget waits until nothing else is
 * queued or being sent, then goes. Taken when a message is queued, given back once the call that
 * carried it has returned (or failed).
 */
final class OctetBudget {
    private final int limit;
    private final Semaphore free;

    OctetBudget(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("an octet budget must be positive, got " + limit);
        }
        this.limit = limit;
        this.free = new Semaphore(limit);
    }

    int limit() {
        return limit;
    }

    /** What queuing {@code m} takes from the budget. */
    int cost(GroupMessage m) {
        return Math.max(1, Math.min(m.payload().length, limit));
    }

    /** Takes {@code cost} octets, waiting up to {@code timeoutNanos} for them; false if they did not come. */
    boolean take(int cost, long timeoutNanos) throws InterruptedException {
        return free.tryAcquire(cost, Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    }

    /** Gives back {@code cost} octets. */
    void giveBack(int cost) {
        if (cost > 0) {
            free.release(cost);
        }
    }

    /** Gives back what these messages took. */
    void giveBack(List<GroupMessage> sent) {
        int cost = 0;
        for (GroupMessage m : sent) {
            cost += cost(m);
        }
        giveBack(cost);
    }

    /** Octets free now. */
    int free() {
        return free.availablePermits();
    }
}
