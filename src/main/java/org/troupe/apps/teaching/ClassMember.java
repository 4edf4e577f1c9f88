package org.troupe.apps.teaching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import org.troupe.member.Group;
import org.troupe.member.GroupListener;
import org.troupe.member.model.ViewChange;

/**
 * What the Teacher and the Student apps share: the console, views and the end of membership
 * printed, the command loop over stdin lines, and leaving (with the exit code it implies).
 */
abstract class ClassMember implements GroupListener {
    protected final Console console;
    private final Object closedLock = new Object();
    private String closed;
    protected volatile Group group;

    ClassMember(PrintWriter out) {
        this.console = new Console(out);
    }

    /** Runs one command line. */
    abstract void command(String line);

    /**
     * Runs commands from {@code in} until {@code quit}, its end, or the member is out (then at
     * once, without waiting for another line); then leaves.
     */
    final int commands(BufferedReader in) throws IOException, InterruptedException {
        org.troupe.apps.LineInput input = org.troupe.apps.LineInput.reading(in, "troupe-stdin");
        String line;
        while ((line = input.next(group::isClosed)) != null) {
            command(line.strip());
            if (line.strip().equals("quit")) {
                break;
            }
        }
        return leave();
    }

    @Override
    public void onView(ViewChange change) {
        console.view(change);
    }

    @Override
    public void onClosed(String reason) {
        synchronized (closedLock) {
            closed = reason;
            closedLock.notifyAll();
        }
        console.line("CLOSED " + reason);
    }

    /** Leaves (sent messages first) and returns 0, or 2 if the member had been removed from the group. */
    private int leave() throws InterruptedException {
        if (!group.isClosed()) {
            group.flush(Duration.ofSeconds(10));
            group.leave();
        }
        synchronized (closedLock) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (closed == null && System.nanoTime() < deadline) {
                closedLock.wait(100);
            }
            return closed == null || closed.startsWith("left ") ? 0 : 2;
        }
    }
}
