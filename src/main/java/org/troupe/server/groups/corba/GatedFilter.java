package org.troupe.server.groups.corba;

import org.omg.CORBA.Any;
import org.troupe.server.events.EventFilter;

/**
 * A member's filter that lets nothing through until it is opened: a member resuming on this
 * server is connected first, then, between two of the group's commands, given what it missed
 * and opened, so that it gets every event once and in order.
 */
final class GatedFilter implements EventFilter {
    private final EventFilter member;
    private volatile boolean open;

    GatedFilter(EventFilter member) {
        this.member = member;
    }

    /** The member's own filter behind the gate. */
    EventFilter inner() {
        return member;
    }

    void open() {
        open = true;
    }

    @Override
    public Any apply(Any event) {
        return open ? member.apply(event) : null;
    }
}
