package org.troupe.member.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A member's protocol stack, bottom (the transport) to top (delivery). Up events enter at the
 * bottom, one at a time under the stack's lock; down events enter at the top. The layers and the
 * events between them are drawn in the package's documentation.
 */
public final class ProtocolStack {
    private final List<Layer> layers;
    private final ReentrantLock upLock = new ReentrantLock();
    private volatile Thread ticker;

    ProtocolStack(List<Layer> bottomToTop) {
        this.layers = List.copyOf(bottomToTop);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).link(i == 0 ? null : layers.get(i - 1), i == layers.size() - 1 ? null : layers.get(i + 1),
                    this);
        }
    }

    /** Starts a builder; the first layer added is the bottom one. */
    public static Builder builder() {
        return new Builder();
    }

    /** An event from the transport, passed up from the bottom layer's upper neighbour. */
    public void up(StackEvent e) {
        upLock.lock();
        try {
            layers.get(0).passUp(e);
        } finally {
            upLock.unlock();
        }
    }

    /** An event passed up from {@code from} by a thread of the layer's own, in turn with the others. */
    void upFrom(Layer from, StackEvent e) {
        upLock.lock();
        try {
            from.passUp(e);
        } finally {
            upLock.unlock();
        }
    }

    /** An event from the application, into the top layer. */
    public void down(StackEvent e) {
        layers.get(layers.size() - 1).down(e);
    }

    /** The layers' names, bottom to top. */
    public List<String> describe() {
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            names.add(l.name());
        }
        return names;
    }

    /** The first layer of this type, or null: for tests and tools that read a layer's counters. */
    public <T extends Layer> T layer(Class<T> type) {
        for (Layer l : layers) {
            if (type.isInstance(l)) {
                return type.cast(l);
            }
        }
        return null;
    }

    /**
     * Starts the stack's clock: a daemon thread that passes a {@link StackEvent.Tick} up every
     * {@code periodMillis} (time-outs, like a query's, are measured on it). Tests inject time by
     * passing Ticks themselves instead.
     */
    public void startTicker(String name, long periodMillis, java.util.function.LongSupplier clock) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(periodMillis);
                    up(new StackEvent.Tick(clock.getAsLong()));
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }, name);
        t.setDaemon(true);
        ticker = t;
        t.start();
    }

    /** Stops every layer, top to bottom. */
    public void stop() {
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            layers.get(i).stop();
        }
    }

    /** Assembles a stack bottom to top. */
    public static final class Builder {
        private final List<Layer> layers = new ArrayList<>();

        public Builder add(Layer layer) {
            layers.add(layer);
            return this;
        }

        /** Adds the layer only if {@code condition} holds (a stack built from what is needed). */
        public Builder addIf(boolean condition, java.util.function.Supplier<Layer> layer) {
            if (condition) {
                layers.add(layer.get());
            }
            return this;
        }

        public ProtocolStack build() {
            if (layers.size() < 2) {
                throw new IllegalStateException("a stack needs at least a transport and a top layer");
            }
            return new ProtocolStack(layers);
        }
    }
}
