/**
 * The bottom of a member's stack: its transport to a group's Group Manager and channel, one class
 * per job. {@link org.troupe.member.corba.CorbaTransport} is the adapter (stack events in and
 * out, calls to the manager, join and leave); {@link org.troupe.member.corba.ChannelConsumer} the
 * push consumer the channel feeds, counted by {@code ChannelCounter}; {@link
 * org.troupe.member.corba.SendQueue} (with {@code OctetBudget}) and {@link
 * org.troupe.member.corba.OrderQueue} the bounded, batching queues of messages and orders, which
 * are plain Java and tested without an ORB; {@code RetryPolicy} retries a call on transport
 * failures; {@code ManagerErrors} says what the manager's exceptions mean to the stack.
 */
package org.troupe.member.corba;
