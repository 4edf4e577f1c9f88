package org.troupe.member;

/**
 * Provides the group's state to a joiner (group state transfer; JGroups'
 * {@code getState}). Called when this member's application reaches a joiner's request in the
 * delivery order: on the listener's thread, or inside {@link Group#receive} for pull delivery,
 * after every earlier delivery was handed over and before any later one. Return the application's
 * state as it is then; an exception, or null, tells the joiner to ask another member.
 */
@FunctionalInterface
public interface StateProvider {
    byte[] getState() throws Exception;
}
