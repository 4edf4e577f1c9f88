package org.troupe.protocol.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlTransient;

/**
 * An element of a descriptor that knows where its start tag is in the source text: the offsets of
 * its {@code <} and of the character after its {@code >}, set while unmarshalling.
 */
@XmlTransient
@XmlAccessorType(XmlAccessType.NONE)
public abstract class Located {
    @XmlTransient
    private int tagStart = -1;
    @XmlTransient
    private int tagEnd = -1;

    /** The element's name in the XML ({@code role}, {@code query}, ...). */
    public abstract String elementName();

    /** Offset of the start tag's {@code <} in the source text; -1 if unknown. */
    public int tagStart() {
        return tagStart;
    }

    /** Offset just after the start tag's {@code >} in the source text; -1 if unknown. */
    public int tagEnd() {
        return tagEnd;
    }

    /** Records where the start tag is (the loader calls this while unmarshalling). */
    public void setTag(int start, int end) {
        this.tagStart = start;
        this.tagEnd = end;
    }
}
