/**
 * JAXB binding of application-protocol descriptors ({@code xml-protocols/troupe-protocol.xsd}):
 * plain holders of the attribute text and of where each element starts in its file. Values are
 * kept as text; {@link org.troupe.protocol.ProtocolLoader} parses and checks them, so that every
 * problem is reported with its line and column rather than as a binding failure.
 */
package org.troupe.protocol.xml;
