package org.troupe.server.events.corba;

import java.util.concurrent.atomic.AtomicLong;
import org.omg.CORBA.SystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures that a consumer's own push implementation raised (UNKNOWN, NO_MEMORY ...): the consumer
 * stays connected, the call's events are lost (counted as dropped, not delivered), and the error is
 * counted and logged at 1, 2, 4, 8 ... occurrences.
 */
final class DeliveryErrors {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryErrors.class);
    private static final AtomicLong COUNT = new AtomicLong();

    private DeliveryErrors() {
    }

    static void log(SystemException e) {
        long n = COUNT.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.warn("a consumer's push raised {} ({} such errors so far); delivery goes on", e, n);
        }
    }

    static long count() {
        return COUNT.get();
    }
}
