package org.troupe.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The lines a person types, read on a daemon thread, so that a command loop waiting for the next
 * one still notices when its member is out of its group (removed, or the server gone) and ends,
 * instead of hanging until a key is pressed. At most 256 lines wait.
 */
public final class LineInput {
    private static final String END = new String("end of input"); // compared by identity
    private static final long CHECK_MILLIS = 100;

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(256);

    private LineInput() {
    }

    /** Starts reading {@code in} on a daemon thread called {@code threadName}. */
    public static LineInput reading(BufferedReader in, String threadName) {
        LineInput input = new LineInput();
        Thread t = new Thread(() -> input.pump(in), threadName);
        t.setDaemon(true);
        t.start();
        return input;
    }

    private void pump(BufferedReader in) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lines.put(line);
            }
        } catch (IOException e) {
            // the input is closed: its end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            lines.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next line; null at the end of the input, or once {@code stop} is true (asked every
     * 100 ms while no line comes).
     */
    public String next(BooleanSupplier stop) throws InterruptedException {
        while (!stop.getAsBoolean()) {
            String line = lines.poll(CHECK_MILLIS, TimeUnit.MILLISECONDS);
            if (line == END) {
                lines.offer(END); // every later call sees the end too
                return null;
            }
            if (line != null) {
                return line;
            }
        }
        return null;
    }
}
