package org.troupe.member.process;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;

/** What an IDL-only hosted client was given, read the same way by the take-over tests (callers hold their lock). */
final class IdlDeliveries {
    private IdlDeliveries() {
    }

    /** The payloads of the Formulas, in the order given. */
    static List<String> formulas(List<Delivery> got) {
        List<String> out = new ArrayList<>();
        for (Delivery d : got) {
            if (d.discriminator() == DeliveryKind.MESSAGE_DELIVERY && d.message().message_type.equals("Formula")) {
                out.add(new String(d.message().payload, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The sequence id of every message and view, in the order given. */
    static List<Long> sequenceIds(List<Delivery> got) {
        List<Long> out = new ArrayList<>();
        for (Delivery d : got) {
            if (d.discriminator() == DeliveryKind.MESSAGE_DELIVERY) {
                out.add(d.message().sequence_id);
            } else if (d.discriminator() == DeliveryKind.VIEW_DELIVERY) {
                out.add(d.view().sequence_id);
            }
        }
        return out;
    }

    /** The longest time between two deliveries from just before {@code nanos} on (ms). */
    static long longestGapMillisAround(List<Long> gotAtNanos, long nanos) {
        long longest = 0;
        for (int i = 1; i < gotAtNanos.size(); i++) {
            if (gotAtNanos.get(i) > nanos) {
                longest = Math.max(longest, gotAtNanos.get(i) - gotAtNanos.get(i - 1));
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(longest);
    }
}
