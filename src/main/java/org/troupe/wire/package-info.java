/** What server and members share about the wire: the codecs of the structs in a group's channel. */
package org.troupe.wire;
