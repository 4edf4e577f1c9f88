package org.troupe.member.stack;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure detection, this member's side: proves the member alive to the server every {@code
 * heartbeat_ms} of the group (a {@link StackEvent.Heartbeat} down, on this layer's own thread,
 * so that a slow application or a full delivery queue never delays it), and fails the member
 * when the server says it is not in the group any more, or has not answered for the group's
 * suspect time. Both terms come with {@link StackEvent.Joined}. While a {@link StackEvent.Leave}
 * is on its way down (the queued messages go first) the member goes on heartbeating, so that a
 * long flush does not get it removed as crashed; once the leave is done, or the member is out
 * ({@link StackEvent.Halt}), the heartbeats stop.
 */
public final class HeartbeatLayer extends Layer {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatLayer.class);
    /** The shortest period between two heartbeats, whatever the group says. */
    static final long MIN_PERIOD_MILLIS = 10;

    private final String group;
    private final LongSupplier clock;
    private final boolean ownThread;
    private volatile long periodMillis;
    private volatile long suspectMillis;
    private volatile long lastAnswer;
    private volatile boolean leaving;
    private volatile boolean stopped;
    private volatile Thread thread;

    /** Heartbeats on a thread of its own, on the system clock. */
    public HeartbeatLayer(String group) {
        this(group, System::nanoTime, true);
    }

    /**
     * @param clock nanoseconds, for the suspect time
     * @param ownThread false: no thread; heartbeats only when {@link #beat} is called (tests)
     */
    HeartbeatLayer(String group, LongSupplier clock, boolean ownThread) {
        this.group = group;
        this.clock = clock;
        this.ownThread = ownThread;
    }

    @Override
    public void up(StackEvent e) {
        if (e instanceof StackEvent.Joined j && j.heartbeatMillis() > 0) {
            periodMillis = Math.max(MIN_PERIOD_MILLIS, j.heartbeatMillis());
            suspectMillis = j.suspectMillis();
            lastAnswer = clock.getAsLong();
            if (ownThread && !stopped) {
                Thread t = new Thread(this::run, "troupe-" + group + "-heartbeat");
                t.setDaemon(true);
                thread = t;
                t.start();
            }
        }
        passUp(e);
    }

    @Override
    public void down(StackEvent e) {
        if (e instanceof StackEvent.Leave) {
            leaving = true; // the server may say "not a member" from now on: that is the leave
            try {
                passDown(e);
            } finally {
                halt();
            }
        } else if (e instanceof StackEvent.Halt) {
            halt();
            passDown(e);
        } else {
            passDown(e);
        }
    }

    /**
     * One heartbeat: proves the member alive; fails it if the server says it is out, or has not
     * answered for longer than the suspect time.
     */
    void beat() {
        if (stopped || periodMillis == 0) {
            return;
        }
        try {
            passDown(new StackEvent.Heartbeat());
            lastAnswer = clock.getAsLong();
        } catch (RemovedFromGroup e) {
            if (!leaving) {
                fail(e.getMessage());
            }
        } catch (ServerUnreachable e) {
            if (clock.getAsLong() - lastAnswer > suspectMillis * 1_000_000L) {
                fail("group " + group + ": the server has not answered for " + suspectMillis + " ms (" + e.kind()
                        + ")");
            } else {
                LOG.debug("group {}: heartbeat not answered: {}", group, e.getMessage());
            }
        }
    }

    private void fail(String reason) {
        if (stopped) {
            return;
        }
        halt();
        LOG.warn("{}", reason);
        passUpInTurn(new StackEvent.Failed(reason));
    }

    private void run() {
        while (!stopped) {
            try {
                Thread.sleep(periodMillis);
                beat();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("group {}: heartbeat failed; heartbeats go on", group, e);
            }
        }
    }

    /** No more heartbeats; the thread ends (not waited for: this may run on any thread). */
    private void halt() {
        stopped = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    @Override
    public void stop() {
        halt();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
