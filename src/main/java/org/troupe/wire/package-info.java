/**
 * What server and members share about the wire: the codecs of the structs in a group's channel
 * ({@link org.troupe.wire.GroupCodecs}), group descriptors ({@link org.troupe.wire.Descriptors}),
 * and the conversion between the IDL structs and a member's values ({@link
 * org.troupe.wire.MemberIdl} for the groups' IDL, {@link org.troupe.wire.HostedIdl} for hosted
 * members' deliveries).
 */
package org.troupe.wire;
