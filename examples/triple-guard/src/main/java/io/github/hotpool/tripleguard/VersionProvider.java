package io.github.hotpool.tripleguard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version} of every command: the Maven project version, written into
 * {@code version.properties} by resource filtering at build time. Stateless.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    static final String RESOURCE = "/io/github/hotpool/tripleguard/version.properties";

    @Override
    public String[] getVersion() throws IOException {
        return new String[] {"triple-guard " + version()};
    }

    /** The project version this jar was built as. */
    static String version() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " missing from the jar");
            }
            p.load(in);
        }
        String v = p.getProperty("version");
        if (v == null || v.isBlank() || v.startsWith("${")) {
            throw new IOException(RESOURCE + " holds no filtered version (got " + v + ")");
        }
        return v;
    }
}
