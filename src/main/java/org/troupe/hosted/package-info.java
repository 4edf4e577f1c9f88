/**
 * Server-hosted members ("proxy members"): IDL clients in any language join groups through
 * {@code idl/TroupeHosted.idl} and get the Java member stack's guarantees because the server runs
 * that stack for them. Entry point and event flow: {@link org.troupe.hosted.HostedMembersService}.
 */
package org.troupe.hosted;
