package org.troupe.protocol.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.ArrayList;
import java.util.List;

/**
 * An element of a pattern, {@code <query>}, {@code <response>} or {@code <message>}, with the
 * attributes they share: {@code type role receiver min max}. Attributes left out are null; the
 * loader applies the defaults.
 */
@XmlTransient
@XmlAccessorType(XmlAccessType.NONE)
public abstract class XmlStep extends Located {
    @XmlAttribute(name = "type")
    private String type;
    @XmlAttribute(name = "role")
    private String role;
    @XmlAttribute(name = "receiver")
    private String receiver;
    @XmlAttribute(name = "min")
    private String min;
    @XmlAttribute(name = "max")
    private String max;

    /** The {@code type} attribute, or null. */
    public String type() {
        return type;
    }

    /** The {@code role} attribute, or null. */
    public String role() {
        return role;
    }

    /** The {@code receiver} attribute (one role or a comma-separated list), or null. */
    public String receiver() {
        return receiver;
    }

    /** The {@code min} attribute's text, or null. */
    public String min() {
        return min;
    }

    /** The {@code max} attribute's text (a number, "n" or "#Role"), or null. */
    public String max() {
        return max;
    }

    /** {@code <query type role receiver min max/>}: the proactive message that opens a pattern. */
    @XmlAccessorType(XmlAccessType.NONE)
    public static final class Query extends XmlStep {
        @Override
        public String elementName() {
            return "query";
        }
    }

    /**
     * {@code <response type role receiver min max timeout>}: a reactive message; nested
     * {@code <response>}s answer it.
     */
    @XmlAccessorType(XmlAccessType.NONE)
    public static final class Response extends XmlStep {
        @XmlAttribute(name = "timeout")
        private String timeout;
        @XmlElement(name = "response")
        private List<Response> responses = new ArrayList<>();

        @Override
        public String elementName() {
            return "response";
        }

        /** The {@code timeout} attribute's text, or null. */
        public String timeout() {
            return timeout;
        }

        /** The nested responses, which answer this one. */
        public List<Response> responses() {
            return responses == null ? List.of() : responses;
        }
    }

    /** {@code <message type role receiver min max/>}: one turn of a turn-based pattern. */
    @XmlAccessorType(XmlAccessType.NONE)
    public static final class Turn extends XmlStep {
        @Override
        public String elementName() {
            return "message";
        }
    }
}
