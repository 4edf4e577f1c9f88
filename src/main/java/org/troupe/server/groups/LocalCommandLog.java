package org.troupe.server.groups;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A group's commands on one server: applied one at a time under the group's lock, and each
 * outcome's events published under the same lock, so the channel sees them in sequence order.
 * Flow control holds a send or an order back before the lock ({@link FlowGate}).
 */
public final class LocalCommandLog implements CommandLog {
    private final GroupCore core;
    private final Publisher publisher;
    private final FlowGate gate;
    private final ReentrantLock lock = new ReentrantLock();
    /** What the group published lately: a member whose connection broke resumes from it. */
    private final EventHistory history = new EventHistory(HISTORY_EVENTS, HISTORY_OCTETS);
    static final int HISTORY_EVENTS = 4096;
    static final long HISTORY_OCTETS = 8L << 20;

    /** @param publisher publishes one outcome's events (called under the group's lock) */
    public LocalCommandLog(GroupCore core, Publisher publisher, FlowGate gate) {
        this.core = core;
        this.publisher = publisher;
        this.gate = gate;
    }

    @Override
    public Outcome submit(GroupCommand command, boolean flowControlled, Consumer<Outcome> onApplied)
            throws InterruptedException {
        if (flowControlled) {
            gate.lockWhenOpen(lock);
        } else {
            lock.lock();
        }
        try {
            Outcome o = core.apply(command);
            if (onApplied != null) {
                onApplied.accept(o);
            }
            if (!o.events().isEmpty()) {
                history.add(o.events());
                publisher.publish(core, o.events());
            }
            return o;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> T resume(long received, java.util.function.BiFunction<GroupCore, java.util.List<GroupEvent>, T> then) {
        lock.lock();
        try {
            return then.apply(core, history.after(received));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> T read(Function<GroupCore, T> query) {
        lock.lock();
        try {
            return query.apply(core);
        } finally {
            lock.unlock();
        }
    }
}
