package org.troupe.protocol.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** {@code <protocol name>}: roles, message types and message patterns. */
@XmlRootElement(name = "protocol")
@XmlAccessorType(XmlAccessType.FIELD)
public final class XmlProtocol extends Located {
    @XmlAttribute(name = "name")
    private String name;
    @XmlElementWrapper(name = "roles")
    @XmlElement(name = "role")
    private List<XmlRole> roles = new ArrayList<>();
    @XmlElementWrapper(name = "message-types")
    @XmlElement(name = "message-type")
    private List<XmlMessageType> messageTypes = new ArrayList<>();
    @XmlElementWrapper(name = "message-patterns")
    @XmlElement(name = "pattern")
    private List<XmlPattern> patterns = new ArrayList<>();

    @Override
    public String elementName() {
        return "protocol";
    }

    /** The {@code name} attribute, or null. */
    public String name() {
        return name;
    }

    /** The {@code <role>}s. */
    public List<XmlRole> roles() {
        return roles == null ? List.of() : roles;
    }

    /** The {@code <message-type>}s. */
    public List<XmlMessageType> messageTypes() {
        return messageTypes == null ? List.of() : messageTypes;
    }

    /** The {@code <pattern>}s. */
    public List<XmlPattern> patterns() {
        return patterns == null ? List.of() : patterns;
    }
}
