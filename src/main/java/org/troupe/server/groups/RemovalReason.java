package org.troupe.server.groups;

/**
 * Why a member left a group's view, in a small fixed set (a bounded metric label): it fell
 * silent, the group's channel cut it off, it held the sequencer but stalled the order, it left
 * of its own accord, or something else.
 */
public enum RemovalReason {
    SILENT("silent"),
    CUT_OFF("cut_off"),
    SEQUENCER_STALLED("sequencer_stalled"),
    LEFT("left"),
    OTHER("other");

    private final String label;

    RemovalReason(String label) {
        this.label = label;
    }

    /** The reason as a metric label value ({@code silent}, {@code cut_off}, ...). */
    public String label() {
        return label;
    }

    /** The class of a removal reason as {@link Liveness#decide} words it. */
    public static RemovalReason ofLiveness(String reason) {
        if (reason == null) {
            return OTHER;
        }
        if (reason.startsWith(Liveness.SILENT)) {
            return SILENT;
        }
        if (reason.startsWith(Liveness.CUT_OFF)) {
            return CUT_OFF;
        }
        if (reason.startsWith(Liveness.SEQUENCER_STALLED)) {
            return SEQUENCER_STALLED;
        }
        return OTHER;
    }
}
