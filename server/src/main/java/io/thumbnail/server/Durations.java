package io.thumbnail.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as the server's options and the batch command line take them: a whole number with a unit ({@code 30s},
 * {@code 15m}, {@code 24h}, {@code 7d}) or ISO-8601 ({@code PT1H}).
 */
final class Durations {
    /**
     * The longest duration any option takes: ten years. Beyond it, times computed from a duration (a lease's end, a
     * cut-off for priority ageing) overflow, and nothing is meant to wait that long.
     */
    static final Duration LONGEST = Duration.ofDays(3650);

    private Durations() {
    }

    /**
     * {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d} or ISO-8601 ({@code PT1H}), above zero and at most
     * {@link #LONGEST}; null for anything else.
     */
    static Duration orNull(String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d = lower.startsWith("p") ? Duration.parse(lower.toUpperCase(Locale.ROOT)) : suffixed(lower);
            if (!d.isNegative() && !d.isZero() && d.compareTo(LONGEST) <= 0) {
                return d;
            }
        } catch (DateTimeParseException | IndexOutOfBoundsException | ArithmeticException
                 | IllegalArgumentException e) {
            // not a duration
        }
        return null;
    }

    /**
     * {@code value}, given for {@code option}, as a duration.
     *
     * @throws IllegalArgumentException naming the flag, the durations allowed and the value given
     */
    static Duration of(ServerOption option, String value) {
        Duration d = orNull(value);
        if (d != null) {
            return d;
        }
        throw new IllegalArgumentException("--" + option.name() + " must be a positive duration of at most "
                + LONGEST.toDays() + "d, such as 30s, 15m, 24h, 7d or PT1H" + (option.offAllowed() ? ", or off"
                : " (off is not allowed)") + " (was '" + value + "')");
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
