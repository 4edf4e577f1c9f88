package org.troupe.cdr;

import org.omg.CORBA.portable.OutputStream;

/**
 * Sizes a JacORB request buffer once, before it is written: otherwise it starts at a few hundred
 * octets and is copied into a buffer twice as large each time it fills, which for a request of a
 * few hundred KB costs as much copying as the marshalling itself.
 */
public final class BufferSizing {
    /** Above this, the stream grows as it goes. */
    private static final long MAX_RESERVE = 64L << 20;

    private BufferSizing() {
    }

    /** Makes room for {@code octets} more octets in {@code out} (a JacORB stream; others are left alone). */
    public static void reserve(OutputStream out, long octets) {
        if (octets > 0 && octets <= MAX_RESERVE && out instanceof org.jacorb.orb.CDROutputStream cdr) {
            cdr.increaseSize((int) octets);
            cdr.reduceSize((int) octets);
        }
    }
}
