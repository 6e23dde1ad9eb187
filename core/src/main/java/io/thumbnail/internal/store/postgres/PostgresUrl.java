package io.thumbnail.internal.store.postgres;

import java.util.regex.Pattern;

/**
 * What is known of a PostgreSQL JDBC URL without the driver, which is an optional dependency: whether it is one at
 * all, and how to show it without its password. An application without the driver is then told its URL is wrong
 * before it is told to add the driver.
 */
public final class PostgresUrl {
    static final String PREFIX = "jdbc:postgresql:";
    static final String EXAMPLE = "jdbc:postgresql://127.0.0.1:5432/thumbs?user=thumbs&password=...";
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;](?:ssl)?password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@:]*:)[^/?#@]*@");

    private PostgresUrl() {
    }

    /** Refuses, naming what is allowed, a URL that does not start as a PostgreSQL JDBC URL with a host does. */
    public static void checkScheme(String url) {
        if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || !url.startsWith("//", PREFIX.length())) {
            throw refused(url);
        }
    }

    static IllegalArgumentException refused(String url) {
        return new IllegalArgumentException("database must be a PostgreSQL JDBC URL such as " + EXAMPLE + " (was '"
                + (url == null ? "" : mask(url)) + "')");
    }

    /** {@code url} with its passwords (a {@code password} or {@code sslpassword} parameter, user info) masked. */
    public static String mask(String url) {
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }
}
