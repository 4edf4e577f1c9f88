package org.troupe.protocol;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * The StAX reader JAXB unmarshals from, which keeps the stack of open elements with where each
 * start tag is and where the first stray text in each is. The validator reports a problem while
 * JAXB handles the event that caused it, so the stack then tells which element it is about and
 * where it starts. An element is popped on the event after its end tag, so that "element X is
 * incomplete" (reported at X's end tag) still finds X on top.
 */
final class ElementTracker extends StreamReaderDelegate {

    /** An open element: its name and namespace, and offsets into the source text. */
    static final class Frame {
        final String name;
        final String namespace;
        final int tagStart;
        final int tagEnd;
        int firstText = -1;
        int children;

        Frame(String name, String namespace, int tagStart, int tagEnd) {
            this.name = name;
            this.namespace = namespace;
            this.tagStart = tagStart;
            this.tagEnd = tagEnd;
        }
    }

    private final SourceText source;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private boolean popPending;

    ElementTracker(XMLStreamReader reader, SourceText source) {
        super(reader);
        this.source = source;
    }

    @Override
    public int next() throws XMLStreamException {
        if (popPending) {
            stack.pop();
            popPending = false;
        }
        int event = super.next();
        track(event);
        return event;
    }

    @Override
    public int nextTag() throws XMLStreamException {
        int event;
        do {
            event = next();
        } while (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT
                && event != XMLStreamConstants.END_DOCUMENT
                && (event != XMLStreamConstants.CHARACTERS || isWhiteSpace()));
        return event;
    }

    private void track(int event) {
        switch (event) {
            case XMLStreamConstants.START_ELEMENT: {
                int end = here();
                Frame parent = stack.peek();
                if (parent != null) {
                    parent.children++;
                }
                String ns = getNamespaceURI();
                stack.push(new Frame(getLocalName(), ns == null ? "" : ns, source.tagStartBefore(end), end));
                break;
            }
            case XMLStreamConstants.END_ELEMENT:
                popPending = true;
                break;
            case XMLStreamConstants.CHARACTERS:
            case XMLStreamConstants.CDATA: {
                Frame top = stack.peek();
                if (top != null && top.firstText < 0 && !isWhiteSpace()) {
                    int t = source.textBefore(here());
                    top.firstText = t >= 0 ? t : here();
                }
                break;
            }
            default:
                break;
        }
    }

    /** If the reader starts on the root element (no XML declaration read yet), track it too. */
    void trackCurrent() {
        if (stack.isEmpty() && getEventType() == XMLStreamConstants.START_ELEMENT) {
            track(XMLStreamConstants.START_ELEMENT);
        }
    }

    /** The offset in the source just after the current event. */
    private int here() {
        Location l = getLocation();
        return source.offset(l.getLineNumber(), l.getColumnNumber());
    }

    /** The innermost open element, or null. */
    Frame current() {
        return stack.peek();
    }

    /** The element enclosing the innermost one, or null. */
    Frame parent() {
        Iterator<Frame> it = stack.iterator();
        if (!it.hasNext()) {
            return null;
        }
        it.next();
        return it.hasNext() ? it.next() : null;
    }

    /** The innermost open element with this name, or null. */
    Frame named(String name) {
        for (Frame f : stack) {
            if (f.name.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
