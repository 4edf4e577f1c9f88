package org.troupe.member.model;

/**
 * What {@code Group.receive} returns: a {@link Received} message, a {@link ViewChange}, or, once
 * after joining with {@code JoinOptions.requestState}, the {@link StateTransfer}.
 */
public sealed interface Delivery permits Received, ViewChange, StateTransfer {
}
