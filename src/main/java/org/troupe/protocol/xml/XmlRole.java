package org.troupe.protocol.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** {@code <role name min max/>}. */
@XmlAccessorType(XmlAccessType.FIELD)
public final class XmlRole extends Located {
    @XmlAttribute(name = "name")
    private String name;
    @XmlAttribute(name = "min")
    private String min;
    @XmlAttribute(name = "max")
    private String max;

    @Override
    public String elementName() {
        return "role";
    }

    /** The {@code name} attribute, or null. */
    public String name() {
        return name;
    }

    /** The {@code min} attribute's text, or null. */
    public String min() {
        return min;
    }

    /** The {@code max} attribute's text (a number or "n"), or null. */
    public String max() {
        return max;
    }
}
