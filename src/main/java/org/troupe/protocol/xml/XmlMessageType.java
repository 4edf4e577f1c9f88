package org.troupe.protocol.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** {@code <message-type name/>}. */
@XmlAccessorType(XmlAccessType.FIELD)
public final class XmlMessageType extends Located {
    @XmlAttribute(name = "name")
    private String name;

    @Override
    public String elementName() {
        return "message-type";
    }

    /** The {@code name} attribute, or null. */
    public String name() {
        return name;
    }
}
