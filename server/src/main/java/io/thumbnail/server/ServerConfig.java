package io.thumbnail.server;

import io.thumbnail.Limits;
import io.thumbnail.ThumbnailService;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the server runs. Every option is a flag ({@code --port 8080} or {@code --port=8080}) and an environment
 * variable with the matching name ({@code THUMBNAIL_PORT}); a flag wins over the variable, the variable over the
 * default. Values are validated while parsing, and a bad one fails with a message naming the flag.
 *
 * @param ttl          how long finished jobs are kept, or null to keep them forever
 * @param minFreeBytes below this much free space in the data directory {@code /health} reports the disk as down
 */
public record ServerConfig(String host, int port, Path dataDir, int workers, long maxUploadBytes, long maxPixels,
                           int maxOutputSide, Duration ttl, int queueCapacity, int maxAttempts, long minFreeBytes) {

    private record Option(String name, String defaultValue, String description) {
        String env() {
            return "THUMBNAIL_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    /** The option table: parsing, {@code --help} and the README table all come from it. */
    private static final List<Option> OPTIONS = List.of(
            new Option("host", "0.0.0.0", "interface to listen on"),
            new Option("port", "8080", "TCP port (0 picks a free one)"),
            new Option("data-dir", "data", "where the job database and image files live"),
            new Option("workers", String.valueOf(Runtime.getRuntime().availableProcessors()),
                    "threads making thumbnails (the default is the number of cores)"),
            new Option("max-upload-bytes", "50M", "largest request body; larger uploads get 413 (K, M, G suffixes)"),
            new Option("max-pixels", "50000000", "largest source image in pixels, every frame counted"),
            new Option("max-output-side", "4096", "largest thumbnail side a request may ask for"),
            new Option("ttl", "off", "delete jobs older than this (30s, 15m, 24h, 7d or off)"),
            new Option("queue-capacity", "10000", "queued jobs before uploads get 429"),
            new Option("max-attempts", "3", "tries per job before a transient error fails it"),
            new Option("min-free-bytes", "100M", "/health reports down below this much free disk (K, M, G)"));

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
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
            } else if (i + 1 < args.size()) {
                values.put(name, args.get(++i));
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return new ServerConfig(
                text(values, "host"),
                (int) number(values, "port", 0, 65535),
                Path.of(text(values, "data-dir")),
                (int) number(values, "workers", 1, 1024),
                size(values, "max-upload-bytes"),
                number(values, "max-pixels", 1, Long.MAX_VALUE),
                (int) number(values, "max-output-side", 1, 32768),
                duration(values, "ttl"),
                (int) number(values, "queue-capacity", 1, Integer.MAX_VALUE),
                (int) number(values, "max-attempts", 1, 100),
                size(values, "min-free-bytes"));
    }

    /** The {@code --help} text. */
    public static String usage() {
        StringBuilder out = new StringBuilder()
                .append("Usage: java -jar thumbnail-server.jar [OPTIONS]\n")
                .append("       java -jar thumbnail-server.jar thumbnail --help   (the batch command line)\n\n")
                .append("Options (each also read from the environment variable shown):\n");
        for (Option o : OPTIONS) {
            out.append(String.format(Locale.ROOT, "  --%-18s %-30s %s (default: %s)%n",
                    o.name(), o.env(), o.description(), o.defaultValue()));
        }
        return out.append("  --help             print this text\n").toString();
    }

    /** The image limits these options describe. */
    public Limits limits() {
        return new Limits(maxUploadBytes, maxPixels, maxOutputSide);
    }

    /** A service builder with every job-system option of this configuration applied. */
    public ThumbnailService.Builder serviceBuilder() {
        return ThumbnailService.builder()
                .dataDir(dataDir)
                .workers(workers)
                .limits(limits())
                .queueCapacity(queueCapacity)
                .maxAttempts(maxAttempts)
                .ttl(ttl)
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

    private static long number(Map<String, String> values, String name, long min, long max) {
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

    /** A byte count: digits with an optional K, M or G suffix (powers of 1024). */
    private static long size(Map<String, String> values, String name) {
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

    /** A duration: {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, ISO-8601 ({@code PT1H}), or off for none. */
    private static Duration duration(Map<String, String> values, String name) {
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
