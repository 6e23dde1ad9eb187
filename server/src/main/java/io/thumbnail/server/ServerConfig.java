package io.thumbnail.server;

import io.thumbnail.Limits;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailServiceBuilder;
import io.thumbnail.ThumbnailSpec;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the server runs. Every option is a flag ({@code --port 8080} or {@code --port=8080}) and an environment
 * variable with the matching name ({@code THUMBNAIL_PORT}); a flag wins over the variable, the variable over the
 * default. Values are validated while parsing, and a bad one fails with a message naming the flag.
 *
 * @param workerNice   the nice value worker threads give themselves (Linux), 0 to leave them as they are
 * @param defaultBox   the box a request that names neither width nor height gets (contain unless it asks otherwise)
 * @param ttl          how long finished jobs are kept, or null to keep them forever
 * @param jobTimeout   how long one job may run before it fails with {@code timeout}
 * @param maxQueuedPerKey the most jobs one API key may have queued (its share of {@code queueCapacity})
 * @param acceptEmptyDatabase start even when the job database is missing or empty while {@code blobs/} holds images
 * @param minFreeBytes below this much free space in the data directory {@code /health} reports the disk as down
 * @param maxUrlsPerRequest   most URLs one JSON request may name
 * @param allowPrivateSources let URL sources reach loopback, private and other internal addresses
 * @param sourceAllowlist     when not empty, the only hosts URL sources may name
 * @param imgurClientId       Imgur Client-ID enabling {@code publish=imgur}, or null
 * @param imgurBaseUrl        Imgur's API root
 * @param security            API keys, rate limits and request limits
 */
public record ServerConfig(String host, int port, Path dataDir, int workers, int workerNice, long maxUploadBytes, long maxPixels,
                           int maxOutputSide, ThumbnailSpec defaultBox, Duration ttl, Duration jobTimeout, int queueCapacity,
                           int maxQueuedPerKey, boolean acceptEmptyDatabase, int maxAttempts, long minFreeBytes,
                           int maxUrlsPerRequest, boolean allowPrivateSources, Set<String> sourceAllowlist,
                           String imgurClientId, URI imgurBaseUrl, SecurityConfig security) {

    /** Options that take no value: present means on ({@code --allow-private-sources}); {@code =false} turns off. */
    private static final Set<String> SWITCHES = Set.of("allow-private-sources", "accept-empty-database");

    record Option(String name, String defaultValue, String description) {
        String env() {
            return "THUMBNAIL_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    /** The option table: parsing and {@code --help} come from it, and a test holds the README's table to it. */
    static final List<Option> OPTIONS = List.of(
            new Option("host", "0.0.0.0", "interface to listen on"),
            new Option("port", "8080", "TCP port (0 picks a free one)"),
            new Option("data-dir", "data", "where the job database and image files live"),
            new Option("workers", String.valueOf(Runtime.getRuntime().availableProcessors()),
                    "threads making thumbnails (the default is the number of cores)"),
            new Option("worker-nice", "10", "nice value the worker threads give themselves on Linux, so request"
                    + " threads get a core first (0 to 19; 0 leaves them alone)"),
            new Option("max-upload-bytes", "50M", "largest request body; larger uploads get 413 (K, M, G suffixes)"),
            new Option("max-pixels", "50000000", "largest source image in pixels, every frame counted"),
            new Option("max-output-side", "4096", "largest thumbnail side a request may ask for"),
            new Option("default-size", ThumbnailSpec.DEFAULT_WIDTH + "x" + ThumbnailSpec.DEFAULT_HEIGHT,
                    "the box (WxH) a request naming neither width nor height gets"),
            new Option("ttl", "off", "delete jobs older than this (30s, 15m, 24h, 7d or off)"),
            new Option("job-timeout", "60s", "a job running longer fails with timeout and its worker moves on"),
            new Option("queue-capacity", "10000", "queued jobs before uploads get 429"),
            new Option("max-queued-per-key", "25%", "queued jobs one API key may have before its uploads get 429"
                    + " queue_full (a number or a percentage of --queue-capacity)"),
            new Option("accept-empty-database", "false", "start even though jobs.db is missing or empty while blobs/"
                    + " holds images (they wait in blobs/quarantine for 7 days; a restored database gets them back)"),
            new Option("max-attempts", "3", "tries per job before a transient error fails it"),
            new Option("min-free-bytes", "100M", "/health reports down below this much free disk (K, M, G)"),
            new Option("max-urls", "100", "most image URLs one JSON request may name"),
            new Option("allow-private-sources", "false",
                    "let image URLs reach loopback, private and internal addresses (local use only)"),
            new Option("source-allowlist", "", "only fetch image URLs from these hosts (comma-separated;"
                    + " *.example.com for subdomains)"),
            new Option("imgur-client-id", "", "Imgur Client-ID; enables publish=imgur"),
            new Option("imgur-base-url", "https://api.imgur.com", "Imgur API root"),
            new Option("api-keys-file", "", "file of API keys, one name:sha256-of-key a line; when any key is"
                    + " set, /api needs Authorization: Bearer <key>"),
            new Option("api-keys", "", "API keys as name:sha256-of-key entries separated by commas or newlines"),
            new Option("metrics-key-sha256", "", "SHA-256 of the key /metrics takes (else any API key, or open"
                    + " when there are none)"),
            new Option("rate-limit", "50", "submissions (uploads, URL jobs, batches) per second per key (per client"
                    + " address when open), or off; 429 beyond"),
            new Option("rate-burst", "500", "submissions a client may make at once before the rate applies"),
            new Option("read-rate-limit", "1000", "other API requests (status, lists, files, deletes) per second per"
                    + " key (per client address when open), or off; 429 beyond"),
            new Option("read-rate-burst", "2000", "other API requests a client may make at once before the read rate"
                    + " applies"),
            new Option("max-auth-failures", "20", "requests with a wrong API key one client address may make per"
                    + " minute before it gets 429, or off"),
            new Option("max-waiting", "32", "requests a client may have waiting at once (wait=N, event streams)"),
            new Option("max-parts", "1000", "most parts of a multipart upload (413 beyond)"),
            new Option("max-header-bytes", "8K", "largest request line and headers (431 beyond)"),
            new Option("idle-timeout", "30s", "close connections idle for this long"),
            new Option("header-timeout", "10s", "close connections whose request headers have not arrived within"
                    + " this (from the connection's opening, or a later request's first byte)"),
            new Option("min-upload-rate", "1K", "cut off request bodies arriving slower than this many bytes per"
                    + " second (K, M suffixes, or off)"),
            new Option("body-timeout", "5m", "cut off (408) request bodies that have not arrived whole within this"),
            new Option("max-connections-per-address", "256", "connections one client address may hold open; more"
                    + " are closed at once"),
            new Option("max-uploads", "512", "uploads the server receives at once; 503 beyond"),
            new Option("max-uploads-per-client", "32", "uploads one client address, and one API key, may have in"
                    + " flight at once; 429 beyond"),
            new Option("max-inflight-bytes", "1G", "request body bytes all uploads in flight may hold at once"
                    + " (declared or received); 503 beyond (K, M, G)"));

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(defaultBox, "defaultBox");
        Objects.requireNonNull(security, "security");
        if (security.maxInflightBytes() < maxUploadBytes) {
            throw new IllegalArgumentException("--max-inflight-bytes (" + security.maxInflightBytes() + ") must be at"
                    + " least --max-upload-bytes (" + maxUploadBytes + "), or the largest upload could never be taken");
        }
    }

    /** Every option at its default. */
    public static ServerConfig defaults() {
        return parse(List.of(), Map.of());
    }

    /**
     * Reads flags over environment variables over defaults.
     *
     * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value
     */
    public static ServerConfig parse(List<String> args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (Option option : OPTIONS) {
            values.put(option.name(), env.getOrDefault(option.env(), option.defaultValue()));
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options start with --)");
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            if (OPTIONS.stream().noneMatch(o -> o.name().equals(name))) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            if (eq >= 0) {
                values.put(name, arg.substring(eq + 1));
            } else if (SWITCHES.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.size()) {
                values.put(name, args.get(++i));
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        int maxOutputSide = (int) number(values, "max-output-side", 1, ThumbnailSpec.MAX_SIDE);
        int queueCapacity = (int) number(values, "queue-capacity", 1, Integer.MAX_VALUE);
        return new ServerConfig(
                text(values, "host"),
                (int) number(values, "port", 0, 65535),
                Path.of(text(values, "data-dir")),
                (int) number(values, "workers", 1, 1024),
                (int) number(values, "worker-nice", 0, 19),
                size(values, "max-upload-bytes"),
                number(values, "max-pixels", 1, Long.MAX_VALUE),
                maxOutputSide,
                box(values, "default-size", maxOutputSide),
                duration(values, "ttl"),
                required(duration(values, "job-timeout"), "job-timeout"),
                queueCapacity,
                share(values, "max-queued-per-key", queueCapacity),
                bool(values, "accept-empty-database"),
                (int) number(values, "max-attempts", 1, 100),
                size(values, "min-free-bytes"),
                (int) number(values, "max-urls", 1, 10_000),
                bool(values, "allow-private-sources"),
                hosts(values, "source-allowlist"),
                values.get("imgur-client-id").isBlank() ? null : values.get("imgur-client-id").trim(),
                url(values, "imgur-base-url"),
                SecurityConfig.from(values));
    }

    private static boolean bool(Map<String, String> values, String name) {
        String value = values.get(name).trim().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("--" + name + " must be true or false (was '" + values.get(name) + "')");
    }

    /** {@code WxH}: both sides whole pixels, neither over {@code --max-output-side}. */
    private static ThumbnailSpec box(Map<String, String> values, String name, int maxSide) {
        String value = values.get(name).trim();
        String[] sides = value.split("[xX]", -1);
        try {
            if (sides.length == 2) {
                int width = Integer.parseInt(sides[0].trim());
                int height = Integer.parseInt(sides[1].trim());
                if (width >= 1 && width <= maxSide && height >= 1 && height <= maxSide) {
                    return ThumbnailSpec.box(width, height);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be WxH in pixels, such as 100x100, each side between 1"
                + " and " + maxSide + " (--max-output-side) (was '" + value + "')");
    }

    private static Set<String> hosts(Map<String, String> values, String name) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String part : values.get(name).split(",")) {
            String host = part.trim().toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                continue;
            }
            if (!host.matches("(\\*\\.)?[a-z0-9_.:\\[\\]-]+")) {
                throw new IllegalArgumentException("--" + name + " takes host names such as example.com or"
                        + " *.example.com, separated by commas (was '" + part.trim() + "')");
            }
            hosts.add(host);
        }
        return Set.copyOf(hosts);
    }

    private static URI url(Map<String, String> values, String name) {
        String value = values.get(name).trim();
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be an http(s) URL such as https://api.imgur.com"
                + " (was '" + value + "')");
    }

    /** The {@code --help} text. */
    public static String usage() {
        StringBuilder out = new StringBuilder()
                .append("Usage: java -jar thumbnail-server.jar [OPTIONS]\n")
                .append("       java -jar thumbnail-server.jar thumbnail --help   (the batch command line)\n\n")
                .append("Options (each also read from the environment variable shown):\n");
        for (Option o : OPTIONS) {
            out.append(String.format(Locale.ROOT, "  --%-27s %-37s %s (default: %s)%n",
                    o.name(), o.env(), o.description(), o.defaultValue()));
        }
        return out.append(String.format(Locale.ROOT, "  --%-27s %-37s print this text%n", "help", "")).toString();
    }

    /** The image limits these options describe. */
    public Limits limits() {
        return new Limits(maxUploadBytes, maxPixels, maxOutputSide);
    }

    /** A service builder with every job-system option of this configuration applied. */
    public ThumbnailServiceBuilder serviceBuilder() {
        return ThumbnailService.builder()
                .dataDir(dataDir)
                .workers(workers)
                .workerNice(workerNice)
                .limits(limits())
                .queueCapacity(queueCapacity)
                .maxQueuedPerOwner(maxQueuedPerKey)
                .acceptEmptyDatabase(acceptEmptyDatabase)
                .maxAttempts(maxAttempts)
                .ttl(ttl)
                .jobTimeout(jobTimeout)
                .allowPrivateSources(allowPrivateSources)
                .sourceAllowlist(sourceAllowlist)
                .imgurClientId(imgurClientId)
                .imgurBaseUrl(imgurBaseUrl)
                // With the HTTP server's own stop, this keeps a SIGTERM shutdown well inside 30 s.
                .shutdownTimeout(Duration.ofSeconds(20));
    }

    private static String text(Map<String, String> values, String name) {
        String value = values.get(name).trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " must not be empty");
        }
        return value;
    }

    static long number(Map<String, String> values, String name, long min, long max) {
        String value = values.get(name).trim();
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the allowed range
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number between " + min + " and " + max
                + " (was '" + value + "')");
    }

    /** A part of {@code whole}: a whole number up to it, or a percentage of it ({@code 25%}), at least 1. */
    static int share(Map<String, String> values, String name, int whole) {
        String value = values.get(name).trim();
        try {
            if (value.endsWith("%")) {
                int percent = Integer.parseInt(value.substring(0, value.length() - 1).trim());
                if (percent >= 1 && percent <= 100) {
                    return (int) Math.max(1, (long) whole * percent / 100);
                }
            } else {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= whole) {
                    return n;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number from 1 to " + whole
                + " (the queue capacity) or a percentage of it from 1% to 100% (was '" + value + "')");
    }

    /** A byte count: digits with an optional K, M or G suffix (powers of 1024). */
    static long size(Map<String, String> values, String name) {
        String value = values.get(name).trim();
        String digits = value.toUpperCase(Locale.ROOT).replaceFirst("I?B$", "");
        long unit = 1;
        if (!digits.isEmpty() && "KMG".indexOf(digits.charAt(digits.length() - 1)) >= 0) {
            unit = 1L << (10 * ("KMG".indexOf(digits.charAt(digits.length() - 1)) + 1));
            digits = digits.substring(0, digits.length() - 1);
        }
        try {
            long n = Long.parseLong(digits);
            if (n >= 1 && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a positive byte count such as 1048576, 512K, 50M"
                + " or 2G (was '" + value + "')");
    }

    private static Duration required(Duration value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " must be a positive duration such as 30s or 5m (off is"
                    + " not allowed: a hung decode would keep its worker forever)");
        }
        return value;
    }

    /** A duration: {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, ISO-8601 ({@code PT1H}), or off for none. */
    static Duration duration(Map<String, String> values, String name) {
        String value = values.get(name).trim().toLowerCase(Locale.ROOT);
        if (value.equals("off")) {
            return null;
        }
        try {
            Duration d = value.startsWith("p") ? Duration.parse(value.toUpperCase(Locale.ROOT)) : suffixed(value);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException | IndexOutOfBoundsException | IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a positive duration such as 30s, 15m, 24h, 7d,"
                + " PT1H, or off (was '" + values.get(name) + "')");
    }

    private static Duration suffixed(String value) {
        long n = Long.parseLong(value.substring(0, value.length() - 1));
        switch (value.charAt(value.length() - 1)) {
            case 's': return Duration.ofSeconds(n);
            case 'm': return Duration.ofMinutes(n);
            case 'h': return Duration.ofHours(n);
            case 'd': return Duration.ofDays(n);
            default: throw new IllegalArgumentException("no unit");
        }
    }
}
