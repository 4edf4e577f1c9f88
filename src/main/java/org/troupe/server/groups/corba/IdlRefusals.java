package org.troupe.server.groups.corba;

import org.troupe.server.groups.Refusal;
import org.troupe.wire.CoreIdl;

/**
 * A refusal of the group core as the IDL exception its operation declares, or a system
 * exception: the core only refuses a command with a reason its operation declares.
 */
final class IdlRefusals {
    private IdlRefusals() {
    }

    /** Throw what this returns: the declared exception passes through it unchecked. */
    @SafeVarargs
    static RuntimeException raise(Refusal r, Class<? extends Exception>... declared) {
        Exception e = CoreIdl.exception(r);
        if (e instanceof RuntimeException re) {
            return re;
        }
        for (Class<? extends Exception> c : declared) {
            if (c.isInstance(e)) {
                return IdlRefusals.<RuntimeException>rethrow(e);
            }
        }
        return new org.omg.CORBA.INTERNAL("Troupe: refusal not declared by this operation: " + r.message());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
