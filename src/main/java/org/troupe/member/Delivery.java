package org.troupe.member;

/**
 * What {@link Group#receive} returns: a {@link Received} message, a {@link ViewChange}, or, once
 * after joining with {@link JoinOptions#requestState}, the {@link StateTransfer}.
 */
public sealed interface Delivery permits Received, ViewChange, StateTransfer {
}
