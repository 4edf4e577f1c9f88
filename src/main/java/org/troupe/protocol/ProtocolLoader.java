package org.troupe.protocol;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEventLocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.troupe.protocol.xml.Located;
import org.troupe.protocol.xml.XmlProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.SAXException;

/**
 * Loads application-protocol descriptors ({@code xml-protocols/*.xml}): reads the file, parses it
 * with JAXB from a StAX reader validated against {@code xml-protocols/troupe-protocol.xsd}, runs
 * the semantic checks the schema cannot express, and builds the {@link ApplicationProtocol}.
 *
 * <p>Every problem is collected, not just the first, each with its file, line and column: a
 * missing or unreadable file, malformed XML, the schema's complaints rewritten into plain words,
 * and the semantic ones (unknown role or type, min &gt; max, a bad timeout, a type with two kinds,
 * ...). They come back in file order in a {@link ProtocolException}.
 *
 * <p>The bundled protocols are on the class path under {@code xml-protocols/} and load by name:
 * {@code loadBundled("tele-teaching")}. Thread-safe; the JAXB context and the schema are built
 * once.
 */
public final class ProtocolLoader {
    /** The class-path directory of the bundled protocols and of the schema. */
    public static final String BUNDLED_DIRECTORY = "xml-protocols/";
    /** The schema on the class path. */
    public static final String SCHEMA_RESOURCE = BUNDLED_DIRECTORY + "troupe-protocol.xsd";
    /** How a bundled protocol's file is named in problems and summaries. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolLoader.class);
    private static JAXBContext context;
    private static Schema schema;

    private ProtocolLoader() {
    }

    /** Loads a descriptor file; problems name the file as given. */
    public static ApplicationProtocol load(Path file) throws ProtocolException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ProtocolException(Problem.ofFile(name, "is a directory, not a protocol descriptor"));
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ProtocolException(Problem.ofFile(name, "no such file"));
        } catch (AccessDeniedException e) {
            throw new ProtocolException(Problem.ofFile(name, "cannot read the file: permission denied"));
        } catch (IOException e) {
            throw new ProtocolException(Problem.ofFile(name, "cannot read the file: " + e.getMessage()));
        }
        return parse(decode(bytes, name), name);
    }

    /**
     * Loads a bundled protocol by name ({@code "tele-teaching"}, or {@code "tele-teaching.xml"}),
     * from {@code xml-protocols/} on the class path.
     */
    public static ApplicationProtocol loadBundled(String name) throws ProtocolException {
        String resource = bundledResource(name);
        byte[] bytes = null;
        if (resource != null) {
            try (InputStream in = classLoader().getResourceAsStream(resource)) {
                bytes = in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new ProtocolException(Problem.ofFile(CLASSPATH_PREFIX + resource, "cannot read: " + e.getMessage()));
            }
        }
        if (bytes == null) {
            throw new ProtocolException(Problem.ofFile(name, "no bundled protocol named '" + name + "' (bundled: "
                    + String.join(", ", bundledNames()) + ")"));
        }
        String source = CLASSPATH_PREFIX + resource;
        return parse(decode(bytes, source), source);
    }

    /**
     * Loads a descriptor file if {@code nameOrPath} names one, otherwise the bundled protocol of
     * that name ({@code troupe validate tele-teaching}).
     */
    public static ApplicationProtocol load(String nameOrPath) throws ProtocolException {
        Path p = path(nameOrPath);
        if (p != null && Files.exists(p)) {
            return load(p);
        }
        if (isBundled(nameOrPath)) {
            return loadBundled(nameOrPath);
        }
        if (p != null && looksLikePath(nameOrPath)) {
            return load(p); // no such file
        }
        throw new ProtocolException(Problem.ofFile(nameOrPath, "no such file, and no bundled protocol of that name "
                + "(bundled: " + String.join(", ", bundledNames()) + ")"));
    }

    /**
     * The name problems and summaries give the descriptor {@link #load(String)} reads: the path
     * as given for a file, {@code classpath:xml-protocols/NAME.xml} for a bundled protocol.
     */
    public static String sourceName(String nameOrPath) {
        Path p = path(nameOrPath);
        if ((p == null || !Files.exists(p)) && isBundled(nameOrPath)) {
            return CLASSPATH_PREFIX + bundledResource(nameOrPath);
        }
        return nameOrPath;
    }

    /** The names of the bundled protocols, sorted ({@code card-game}, {@code tele-teaching}). */
    public static List<String> bundledNames() {
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> urls = classLoader().getResources(SCHEMA_RESOURCE);
            while (urls.hasMoreElements()) {
                listNextTo(urls.nextElement(), names);
            }
        } catch (IOException | URISyntaxException e) {
            LOG.warn("cannot list the bundled protocols under {}: {}", BUNDLED_DIRECTORY, e.toString());
        }
        return List.copyOf(names);
    }

    /** Parses a descriptor's text; {@code sourceName} names it in problems (and is its default name). */
    public static ApplicationProtocol parse(String xml, String sourceName) throws ProtocolException {
        SourceText src = new SourceText(sourceName, xml.startsWith("\uFEFF") ? xml.substring(1) : xml);
        List<Problem> problems = new ArrayList<>();
        XmlProtocol x = unmarshal(src, problems);
        if (x == null) {
            if (problems.isEmpty()) {
                problems.add(src.at(0, "not a protocol descriptor"));
            }
            throw new ProtocolException(ordered(problems));
        }
        ProtocolChecker checker = new ProtocolChecker(src);
        ProtocolChecker.Result r = checker.check(x, defaultName(sourceName));
        problems.addAll(checker.problems());
        if (!problems.isEmpty()) {
            throw new ProtocolException(ordered(problems));
        }
        try {
            return new ApplicationProtocol(r.name(), r.roles(), r.messageTypes(), r.patterns());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(src.at(culprit(r), "inconsistent protocol: " + e.getMessage()));
        }
    }

    // ---- parsing

    private static XmlProtocol unmarshal(SourceText src, List<Problem> problems) {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        Problem doctype = doctype(factory, src);
        if (doctype != null) {
            problems.add(doctype);
            return null;
        }
        List<Problem> fromJaxb = new ArrayList<>();
        ElementTracker reader = null;
        try {
            XMLStreamReader raw = factory.createXMLStreamReader(new StringReader(src.text()));
            ElementTracker tracker = new ElementTracker(raw, src);
            reader = tracker;
            SchemaMessages messages = new SchemaMessages(src, tracker);
            Unmarshaller u = context().createUnmarshaller();
            u.setSchema(schema());
            u.setEventHandler(event -> {
                ValidationEventLocator l = event.getLocator();
                int line = l == null ? 0 : l.getLineNumber();
                int column = l == null ? 0 : l.getColumnNumber();
                String message = event.getMessage() == null ? "invalid" : event.getMessage();
                if (SchemaMessages.isSchemaMessage(message)) {
                    Problem p = messages.rewrite(message, line, column);
                    if (p != null) {
                        problems.add(p);
                    }
                } else {
                    fromJaxb.add(src.at(src.offset(line, column), message));
                }
                return true;
            });
            u.setListener(new Unmarshaller.Listener() {
                @Override
                public void beforeUnmarshal(Object target, Object parent) {
                    ElementTracker.Frame f = tracker.current();
                    if (target instanceof Located && f != null) {
                        ((Located) target).setTag(f.tagStart, f.tagEnd);
                    }
                }
            });
            Object result = u.unmarshal(tracker);
            if (problems.isEmpty()) {
                problems.addAll(fromJaxb); // JAXB's own complaints repeat the schema's; alone, keep them
            }
            return result instanceof XmlProtocol ? (XmlProtocol) result : null;
        } catch (XMLStreamException e) {
            problems.add(malformed(src, e));
        } catch (UnmarshalException e) {
            Throwable linked = e.getLinkedException() != null ? e.getLinkedException() : e.getCause();
            if (linked instanceof XMLStreamException) {
                problems.add(malformed(src, (XMLStreamException) linked));
            } else if (problems.isEmpty()) {
                problems.addAll(fromJaxb);
                if (problems.isEmpty()) {
                    problems.add(src.at(0, linked != null && linked.getMessage() != null ? linked.getMessage()
                            : String.valueOf(e.getMessage())));
                }
            }
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot set up the protocol parser", e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException e) {
                    LOG.debug("closing the reader of {}: {}", src.file(), e.toString());
                }
            }
        }
        return null;
    }

    /** What a descriptor with a document type declaration is told. */
    static final String NO_DOCTYPE = "a protocol descriptor may not have a <!DOCTYPE>: DTDs and entities are refused"
            + " (an entity could read another file, or expand without bound)";

    /**
     * A problem at the document type declaration, if the descriptor has one (read up to its first
     * element, nothing expanded): DTDs and entities are refused before anything else is read, so
     * neither an external entity (XXE) nor nested entities (billion laughs) are ever resolved.
     */
    private static Problem doctype(XMLInputFactory factory, SourceText src) {
        XMLStreamReader prolog = null;
        try {
            prolog = factory.createXMLStreamReader(new StringReader(src.text()));
            while (prolog.hasNext()) {
                int event = prolog.next();
                if (event == javax.xml.stream.XMLStreamConstants.DTD) {
                    return src.at(Math.max(0, src.text().indexOf("<!DOCTYPE")), NO_DOCTYPE);
                }
                if (event == javax.xml.stream.XMLStreamConstants.START_ELEMENT) {
                    return null;
                }
            }
            return null;
        } catch (XMLStreamException e) {
            return null; // malformed: the parse proper says where and why
        } finally {
            if (prolog != null) {
                try {
                    prolog.close();
                } catch (XMLStreamException e) {
                    LOG.debug("closing the prolog reader of {}: {}", src.file(), e.toString());
                }
            }
        }
    }

    /** Malformed XML: the parser's message without its "ParseError at [row,col]" preamble, at its place. */
    private static Problem malformed(SourceText src, XMLStreamException e) {
        String m = e.getMessage() == null ? "malformed XML" : e.getMessage();
        int i = m.indexOf("Message: ");
        if (i >= 0) {
            m = m.substring(i + "Message: ".length());
        }
        m = m.strip();
        if (e.getLocation() != null && e.getLocation().getLineNumber() > 0) {
            int line = e.getLocation().getLineNumber();
            int at = src.offset(line, 1);
            int end = src.offset(line + 1, 1);
            String text = src.text().substring(at, Math.max(at, end));
            if (text.matches("(?s).*[\u201c\u201d\u2018\u2019].*")) {
                m += " (this line has a curly quote; attribute values need plain \" or ')";
            }
            return new Problem(src.file(), line, Math.max(1, e.getLocation().getColumnNumber()), "malformed XML: " + m);
        }
        return src.at(0, "malformed XML: " + m);
    }

    /** Problems in file order, each once (the schema and the semantic checks may both see a bad value). */
    private static List<Problem> ordered(List<Problem> problems) {
        List<Problem> l = new ArrayList<>(new LinkedHashSet<>(problems));
        l.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return l;
    }

    /** The pattern the model's own checks refuse: the first whose addition makes it throw. */
    private static int culprit(ProtocolChecker.Result r) {
        for (int i = 1; i <= r.patterns().size(); i++) {
            try {
                new ApplicationProtocol(r.name(), r.roles(), r.messageTypes(), r.patterns().subList(0, i));
            } catch (IllegalArgumentException e) {
                return r.patternElements().get(i - 1).tagStart();
            }
        }
        return 0;
    }

    private static String decode(byte[] bytes, String name) throws ProtocolException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = d.decode(in, out, true);
        if (result.isError()) {
            out.flip();
            SourceText before = new SourceText(name, out.toString());
            Problem at = before.at(out.length(), "");
            throw new ProtocolException(new Problem(name, at.line(), at.column(),
                    "the file is not UTF-8 text here; descriptors are UTF-8"));
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    // ---- bundled protocols

    private static ClassLoader classLoader() {
        ClassLoader cl = ProtocolLoader.class.getClassLoader();
        return cl != null ? cl : ClassLoader.getSystemClassLoader();
    }

    /** The class-path resource of a bundled protocol's name; null if the name cannot be one. */
    private static String bundledResource(String name) {
        String n = name.endsWith(".xml") ? name.substring(0, name.length() - 4) : name;
        if (n.isEmpty() || n.contains("/") || n.contains("\\") || n.startsWith(".")) {
            return null;
        }
        return BUNDLED_DIRECTORY + n + ".xml";
    }

    private static boolean isBundled(String name) {
        String r = bundledResource(name);
        return r != null && classLoader().getResource(r) != null;
    }

    private static boolean looksLikePath(String s) {
        return s.contains("/") || s.contains("\\") || s.endsWith(".xml");
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static void listNextTo(URL schemaUrl, TreeSet<String> names) throws IOException, URISyntaxException {
        if ("file".equals(schemaUrl.getProtocol())) {
            Path dir = Path.of(schemaUrl.toURI()).getParent();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.xml")) {
                for (Path p : ds) {
                    names.add(stripXml(p.getFileName().toString()));
                }
            }
        } else if ("jar".equals(schemaUrl.getProtocol())) {
            JarURLConnection c = (JarURLConnection) schemaUrl.openConnection();
            c.setUseCaches(false);
            try (JarFile jar = c.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String e = entries.nextElement().getName();
                    if (e.startsWith(BUNDLED_DIRECTORY) && e.endsWith(".xml")
                            && e.indexOf('/', BUNDLED_DIRECTORY.length()) < 0) {
                        names.add(stripXml(e.substring(BUNDLED_DIRECTORY.length())));
                    }
                }
            }
        }
    }

    private static String stripXml(String fileName) {
        return fileName.endsWith(".xml") ? fileName.substring(0, fileName.length() - 4) : fileName;
    }

    /** A protocol's default name: its file's name without directories and ".xml". */
    private static String defaultName(String sourceName) {
        String s = sourceName;
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(slash + 1);
        if (s.startsWith(CLASSPATH_PREFIX)) {
            s = s.substring(CLASSPATH_PREFIX.length());
        }
        return stripXml(s);
    }

    // ---- set-up

    private static synchronized JAXBContext context() throws JAXBException {
        if (context == null) {
            context = JAXBContext.newInstance(XmlProtocol.class);
        }
        return context;
    }

    private static synchronized Schema schema() {
        if (schema == null) {
            URL url = classLoader().getResource(SCHEMA_RESOURCE);
            if (url == null) {
                throw new IllegalStateException("the protocol schema " + SCHEMA_RESOURCE + " is not on the class path");
            }
            try {
                SchemaFactory f = SchemaFactory.newDefaultInstance();
                f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                schema = f.newSchema(url);
            } catch (SAXException e) {
                throw new IllegalStateException("cannot load the protocol schema " + url + ": " + e.getMessage(), e);
            }
        }
        return schema;
    }
}
