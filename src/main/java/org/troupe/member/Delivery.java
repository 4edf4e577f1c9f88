package org.troupe.member;

/** What {@link Group#receive} returns: a {@link Received} message or a {@link ViewChange}. */
public sealed interface Delivery permits Received, ViewChange {
}
