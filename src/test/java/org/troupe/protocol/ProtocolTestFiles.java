package org.troupe.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Test helpers: the bundled descriptors' text and the broken corpus's directory. */
final class ProtocolTestFiles {
    private ProtocolTestFiles() {
    }

    static String bundledText(String name) {
        try (InputStream in = ProtocolTestFiles.class.getClassLoader()
                .getResourceAsStream(ProtocolLoader.BUNDLED_DIRECTORY + name + ".xml")) {
            if (in == null) {
                throw new IllegalStateException("no bundled " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path brokenDirectory() {
        URL url = ProtocolTestFiles.class.getClassLoader().getResource("protocols/broken");
        if (url == null) {
            throw new IllegalStateException("protocols/broken is not on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
