package org.troupe.server.events.corba;

import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_PARAM;
import org.omg.CORBA.TCKind;
import org.troupe.server.events.ChannelSettings;

/** Checks events that suppliers hand the channel. */
final class EventValidation {
    private EventValidation() {
    }

    /** Raises BAD_PARAM for a missing event or an any that holds no value. */
    static void check(Any event, String where) {
        if (event == null) {
            throw new BAD_PARAM("Troupe: " + where + ": event is missing");
        }
        int kind = event.type().kind().value();
        if (kind == TCKind._tk_null || kind == TCKind._tk_void) {
            throw new BAD_PARAM("Troupe: " + where + ": the event any holds no value (type code "
                    + (kind == TCKind._tk_null ? "tk_null" : "tk_void") + "); insert a value before pushing");
        }
    }

    /** Checks a whole batch before any of it is queued: all or nothing. */
    static void checkBatch(Any[] events) {
        if (events == null) {
            throw new BAD_PARAM("Troupe: push_batch: events missing");
        }
        if (events.length > ChannelSettings.MAX_BATCH) {
            throw new BAD_PARAM("Troupe: push_batch: " + events.length + " events in one batch; the limit is "
                    + ChannelSettings.MAX_BATCH);
        }
        for (int i = 0; i < events.length; i++) {
            check(events[i], "push_batch event #" + i);
        }
    }

    /** Checks a requested batch size. */
    static int batchSize(int max, String op) {
        if (max == 0) {
            throw new BAD_PARAM("Troupe: " + op + ": max must be at least 1");
        }
        // an IDL unsigned long above 2^31-1 arrives negative: it asks for "as many as you can"
        return max < 0 ? ChannelSettings.MAX_BATCH : Math.min(max, ChannelSettings.MAX_BATCH);
    }
}
