package io.thumbnail.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this jar was built as: the build writes it into {@code version.properties} beside this class. */
final class ServerVersion {
    private static final String VERSION = read();

    private ServerVersion() {
    }

    /** {@code 0.1.0}, say; {@code unknown} for classes not built by Maven. */
    static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = ServerVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
