package io.thumbnail.server;

import io.thumbnail.FocalPoint;
import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.Limits;
import io.thumbnail.OutputFormat;
import io.thumbnail.ServiceDefaults;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a batch command line asks for, read from its arguments ({@link CliUsage} lists them): each option once, then the
 * files (after {@code --}, whatever their names). A refusal is an {@link IllegalArgumentException} naming the option.
 */
record CliOptions(ThumbnailSpec spec, Path outDir, Limits limits, Duration timeout, boolean overwrite,
                  List<Path> files) {
    /** Parses the arguments; null means {@code --help}. */
    static CliOptions parse(String[] args) {
        String size = null;
        Fit fit = Fit.CONTAIN;
        Gravity gravity = Gravity.CENTER;
        FocalPoint focus = null;
        OutputFormat format = OutputFormat.AUTO;
        Integer quality = null;
        Path outDir = null;
        Limits limits = Limits.defaults().withMaxOutputSide(ThumbnailSpec.MAX_SIDE);
        Duration timeout = ServiceDefaults.JOB_TIMEOUT;
        boolean overwrite = false;
        List<Path> files = new ArrayList<>();
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                // The rest are files, whatever their names: a glob may match -photo.jpg.
                for (i++; i < args.length; i++) {
                    files.add(Path.of(args[i]));
                }
                break;
            }
            if (arg.startsWith("-") && !given.add(arg.equals("--output") ? "-o" : arg)) {
                throw new IllegalArgumentException(arg + " is given twice; give each option once");
            }
            switch (arg) {
                case "--help":
                case "-h":
                    return null;
                case "--size": size = value(args, ++i, arg); break;
                case "--fit": fit = Fit.parse(value(args, ++i, arg)); break;
                case "--gravity": gravity = Gravity.parse(value(args, ++i, arg)); break;
                case "--focus": focus = FocalPoint.parse(value(args, ++i, arg)); break;
                case "--format": format = OutputFormat.parse(value(args, ++i, arg)); break;
                case "--quality": quality = quality(value(args, ++i, arg)); break;
                case "--overwrite": overwrite = true; break;
                case "--max-bytes": limits = limits.withMaxInputBytes(maxBytes(value(args, ++i, arg))); break;
                case "--max-pixels": limits = limits.withMaxPixels(maxPixels(value(args, ++i, arg))); break;
                case "--timeout": timeout = timeout(value(args, ++i, arg)); break;
                case "-o":
                case "--output": outDir = outputDirectory(value(args, ++i, arg), arg); break;
                default:
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg + " (a file whose name starts with"
                                + " - goes after --, or as ./" + arg + ")");
                    }
                    files.add(Path.of(arg));
            }
        }
        if (size == null) {
            throw new IllegalArgumentException("--size is required, for example --size 100x100");
        }
        if (outDir == null) {
            throw new IllegalArgumentException("-o OUTDIR is required");
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input files given");
        }
        if (format == OutputFormat.WEBP) {
            Thumbnailer.webpUnavailableReason().ifPresent(reason -> {
                throw new IllegalArgumentException("--format webp is unavailable here (" + reason + ")");
            });
        }
        Integer[] box = box(size);
        ThumbnailSpec spec;
        try {
            spec = new ThumbnailSpec(box[0], box[1], fit, format, quality, false, ThumbnailSpec.WHITE, gravity, focus);
        } catch (ThumbnailException e) {
            throw new IllegalArgumentException(flagOf(e.getMessage()) + e.getMessage(), e);
        }
        return new CliOptions(spec, outDir, limits, timeout, overwrite, files);
    }

    /** The flag a refusal of the spec is about, to put before the spec's own words ("width must be ..."). */
    private static String flagOf(String message) {
        if (message.startsWith("width") || message.startsWith("height")) {
            return "--size: ";
        }
        if (message.startsWith("quality")) {
            return "--quality: ";
        }
        return "";
    }

    private static long maxBytes(String value) {
        long n = ByteCounts.parse(value);
        if (n < 1) {
            throw new IllegalArgumentException("--max-bytes must be a positive byte count such as 50M or 2G (was '"
                    + value + "')");
        }
        return n;
    }

    private static long maxPixels(String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--max-pixels must be a whole number of 1 or more (was '" + value + "')");
    }

    /**
     * The shortest {@code --timeout}: a file is read, decoded, scaled and written in milliseconds at the very least, so
     * under one every file would fail.
     */
    static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);

    /** Seconds ({@code 60}, {@code 0.5}) or a duration as the server's flags take one ({@code 30s}, {@code PT1M}). */
    private static Duration timeout(String value) {
        Duration timeout;
        if (value.trim().matches("[0-9]+(\\.[0-9]+)?")) {
            BigDecimal nanos = new BigDecimal(value.trim()).movePointRight(9);
            timeout = nanos.compareTo(BigDecimal.valueOf(Durations.LONGEST.toNanos())) <= 0
                    ? Duration.ofNanos(nanos.longValue()) : null;
        } else {
            timeout = Durations.orNull(value);
        }
        if (timeout == null || timeout.compareTo(SHORTEST_TIMEOUT) < 0) {
            throw new IllegalArgumentException("--timeout must be seconds, such as 60 or 0.5, or a duration such as"
                    + " 30s, 15m or PT1M; at least 0.001 (a millisecond) and at most " + Durations.LONGEST.toDays()
                    + "d (was '" + value + "')");
        }
        return timeout;
    }

    /** {@code WxH}, {@code Wx} or {@code xH}. */
    private static Integer[] box(String size) {
        int x = size.toLowerCase(Locale.ROOT).indexOf('x');
        try {
            if (x >= 0) {
                String w = size.substring(0, x).trim();
                String h = size.substring(x + 1).trim();
                if (!w.isEmpty() || !h.isEmpty()) {
                    return new Integer[] {w.isEmpty() ? null : Integer.valueOf(w), h.isEmpty() ? null : Integer.valueOf(h)};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--size must be WxH, Wx or xH in pixels, for example 100x100 (was '" + size + "')");
    }

    /** The output directory; an empty name would be the current directory, where the inputs often are. */
    private static Path outputDirectory(String value, String flag) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " must name the output directory, for example " + flag
                    + " thumbs (was '" + value + "')");
        }
        return Path.of(value);
    }

    private static int quality(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--quality must be a whole number between 1 and 100 (was '" + value + "')");
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        // A negative number is a value, for its option to refuse in its own words.
        if (args[i].startsWith("-") && args[i].length() > 1 && !Character.isDigit(args[i].charAt(1))) {
            throw new IllegalArgumentException(flag + " needs a value, not the option " + args[i]);
        }
        return args[i];
    }
}
