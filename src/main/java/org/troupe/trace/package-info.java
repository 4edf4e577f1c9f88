/**
 * Diagnostics of one message's path through the processes: {@link org.troupe.trace.HopTrace}
 * stamps the points a message passes (send, the server's socket and servant, each push, each
 * member's stack and application) when the JVM runs with {@code -Dtroupe.hops=FILE}; off, each
 * stamp is a constant-false test that the compiler removes. {@code troupe bench latency --hops DIR}
 * turns it on in every process and prints, hop by hop, where a message's microseconds go.
 */
package org.troupe.trace;
