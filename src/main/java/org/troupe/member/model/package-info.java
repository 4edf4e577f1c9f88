/**
 * The values of a group as a member sees them, shared by the member API ({@code org.troupe.member}),
 * its protocol stack ({@code org.troupe.member.stack}) and the IDL conversion ({@code
 * org.troupe.wire}): messages ({@link org.troupe.member.model.GroupMessage}) and their
 * destinations, members, views and view changes, the deliveries an application receives
 * ({@link org.troupe.member.model.Delivery}), turns, query results and channel statistics. Plain
 * Java, no CORBA; depends on nothing else of Troupe's but the protocol model.
 */
package org.troupe.member.model;
