package org.troupe.member.stack;

/**
 * One layer of a member's protocol stack. A layer handles an event, and passes it (or others)
 * on with {@link #passUp} / {@link #passDown}. Up events arrive one at a time (the stack
 * serialises them); down events may come from any application thread, so a layer that keeps
 * state on the way down must guard it. A layer with a thread of its own (a timer, an ORB
 * thread) passes events up with {@link #passUpInTurn}.
 */
public abstract class Layer {
    private Layer below;
    private Layer above;
    private ProtocolStack stack;

    final void link(Layer belowLayer, Layer aboveLayer, ProtocolStack owner) {
        this.below = belowLayer;
        this.above = aboveLayer;
        this.stack = owner;
    }

    /** An event on its way to the application. By default: passed on. */
    public void up(StackEvent e) {
        passUp(e);
    }

    /** An event on its way to the server. By default: passed on. */
    public void down(StackEvent e) {
        passDown(e);
    }

    protected final void passUp(StackEvent e) {
        if (above != null) {
            above.up(e);
        }
    }

    /**
     * As {@link #passUp}, from a thread that is not the stack's own up path (a timer, an ORB
     * thread): waits its turn behind the up event being handled, so that up events stay one at a
     * time.
     */
    protected final void passUpInTurn(StackEvent e) {
        if (stack == null) {
            passUp(e);
        } else {
            stack.upFrom(this, e);
        }
    }

    protected final void passDown(StackEvent e) {
        if (below != null) {
            below.down(e);
        }
    }

    /** Called once when the stack stops; releases what the layer holds. */
    public void stop() {
    }

    /** The layer's name, for logs and {@code troupe validate}. */
    public String name() {
        return getClass().getSimpleName();
    }
}
