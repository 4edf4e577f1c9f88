package org.troupe.protocol.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <pattern>}: a {@code <query>} with its {@code <response>}s, or a sequence of turn-based
 * {@code <message>}s (the schema allows one or the other).
 */
@XmlAccessorType(XmlAccessType.FIELD)
public final class XmlPattern extends Located {
    @XmlElement(name = "query")
    private XmlStep.Query query;
    @XmlElement(name = "response")
    private List<XmlStep.Response> responses = new ArrayList<>();
    @XmlElement(name = "message")
    private List<XmlStep.Turn> messages = new ArrayList<>();

    @Override
    public String elementName() {
        return "pattern";
    }

    /** The {@code <query>}, or null for a turn-based pattern. */
    public XmlStep.Query query() {
        return query;
    }

    /** The query's {@code <response>}s (each may hold nested responses). */
    public List<XmlStep.Response> responses() {
        return responses == null ? List.of() : responses;
    }

    /** The turn-based {@code <message>}s. */
    public List<XmlStep.Turn> messages() {
        return messages == null ? List.of() : messages;
    }
}
