/**
 * The Java member API: {@link org.troupe.member.Troupe} connects to a server and joins groups;
 * a {@link org.troupe.member.Group} sends, asks and replies, and delivers messages, views and
 * state in the group's total order; a {@link org.troupe.member.Query} collects a query's
 * responses. The values it delivers are in {@code org.troupe.member.model}; the protocol stack
 * under each group is {@code org.troupe.member.stack}, on a CORBA transport
 * ({@code org.troupe.member.corba}).
 */
package org.troupe.member;
