package io.thumbnail.internal.blob.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where blobs live in S3-compatible storage, as the service is told: {@code s3://BUCKET[/PREFIX]?endpoint=URL&region=
 * REGION&path-style=true}. Without an endpoint it is AWS S3 in the region; with one (MinIO, Ceph RGW, R2, s3proxy...)
 * path-style addressing is the default, since most such stores serve buckets under the path rather than as host names.
 * Credentials are never part of it: they come from {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} in
 * the environment, so that no command line, process list or log shows them.
 *
 * @param prefix    the folder of the bucket the blobs go under: empty, or ending with {@code /}
 * @param endpoint  the S3 API's URL, or null for AWS S3
 * @param pathStyle whether buckets are addressed by path ({@code http://host/bucket/key}) instead of host name
 */
public record S3Location(String bucket, String prefix, URI endpoint, String region, boolean pathStyle) {
    /** The form a location takes, as error messages state it. */
    public static final String FORM = "s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION&path-style=true";
    /** The region when none is given: the one AWS and most S3-compatible stores accept. */
    static final String DEFAULT_REGION = "us-east-1";

    /** S3's rules for bucket names: 3 to 63 lower-case letters, digits, dots and hyphens, a letter or digit at each end. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Characters S3 documents as safe in keys, and the folder separator. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*'()/-]*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");

    /**
     * Reads a location.
     *
     * @throws IllegalArgumentException saying what is wrong, as the rest of "must be {@link #FORM}: ..."
     */
    public static S3Location parse(String value) {
        String text = value == null ? "" : value.trim();
        if (!text.startsWith("s3://")) {
            throw bad("it does not start with s3:// (was " + shown(text) + ")");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw bad("it is not a URL: " + e.getReason());
        }
        String authority = uri.getRawAuthority();
        if (authority != null && authority.contains("@")) {
            // Not quoted back: what precedes the @ is a secret.
            throw bad("it must not hold credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the"
                    + " environment instead");
        }
        if (authority == null || !BUCKET.matcher(authority).matches()) {
            throw bad("the bucket must be 3 to 63 lower-case letters, digits, dots and hyphens (was '"
                    + (authority == null ? "" : authority) + "')");
        }
        String prefix = prefix(uri.getRawPath());
        Map<String, String> query = query(uri.getRawQuery());
        URI endpoint = query.containsKey("endpoint") ? endpoint(query.remove("endpoint")) : null;
        String region = query.containsKey("region") ? query.remove("region") : DEFAULT_REGION;
        if (!REGION.matcher(region).matches()) {
            throw bad("region must be a region name such as us-east-1 (was '" + region + "')");
        }
        boolean pathStyle = endpoint != null;
        if (query.containsKey("path-style")) {
            String style = query.remove("path-style");
            if (!style.equals("true") && !style.equals("false")) {
                throw bad("path-style must be true or false (was '" + style + "')");
            }
            pathStyle = Boolean.parseBoolean(style);
        }
        if (!query.isEmpty()) {
            throw bad("it takes only endpoint, region and path-style (was '" + String.join("', '", query.keySet())
                    + "')");
        }
        return new S3Location(authority, prefix, endpoint, region, pathStyle);
    }

    /** The bucket and prefix, as a user wrote them: {@code s3://thumbs/tiles}. */
    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }

    /** Where the S3 API answers, for messages: the endpoint, or AWS S3 in the region. */
    public String where() {
        return endpoint != null ? endpoint.toString() : "AWS S3 (" + region + ")";
    }

    private static String prefix(String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!PREFIX.matcher(path).matches() || path.contains("//") || path.length() > 512) {
            throw bad("the prefix may hold letters, digits and ! _ . * ' ( ) - separated by single slashes (was '"
                    + path + "')");
        }
        return path.isEmpty() ? "" : path + "/";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (values.put(name, value.trim()) != null) {
                throw bad(name + " is given twice");
            }
        }
        return values;
    }

    private static URI endpoint(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getRawUserInfo() != null) {
                throw bad("the endpoint must not hold credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                        + " in the environment instead");
            }
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
            if (web && uri.getHost() != null && bare) {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw bad("endpoint must be an http(s) URL with a host and no path, such as http://127.0.0.1:9000 (was "
                + shown(value) + ")");
    }

    /** A value quoted back, unless it may hold a secret (anything before an {@code @}). */
    private static String shown(String value) {
        return value.contains("@") ? "a value with an @, not shown" : "'" + value + "'";
    }

    private static IllegalArgumentException bad(String problem) {
        return new IllegalArgumentException(FORM + ", but " + problem);
    }
}
