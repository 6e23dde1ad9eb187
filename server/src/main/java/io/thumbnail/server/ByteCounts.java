package io.thumbnail.server;

import java.util.Locale;

/**
 * Byte counts as the server's options and the batch command line take them: digits, then perhaps {@code K}, {@code M}
 * or {@code G} (powers of 1024), perhaps followed by {@code B} or {@code iB}.
 */
final class ByteCounts {
    private ByteCounts() {
    }

    /** A positive byte count: digits, then perhaps {@code K}, {@code M} or {@code G} (and {@code B}); else -1. */
    static long parse(String value) {
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
            // not a count
        }
        return -1;
    }

    /**
     * {@code value}, given for {@code option}, as a positive byte count within the option's range.
     *
     * @throws IllegalArgumentException naming the flag, the counts allowed and the value given
     */
    static long of(ServerOption option, String value) {
        long n = parse(value);
        boolean bounded = option.min() > 1 || option.max() < Long.MAX_VALUE;
        boolean zero = value.matches("(?i)0+[kmg]?(i?b)?");
        if (bounded && (zero || n > 0 && (n < option.min() || n > option.max()))) {
            throw new IllegalArgumentException("--" + option.name() + " must be from " + ServerOption.bytes(option.min())
                    + " to " + ServerOption.bytes(option.max()) + " bytes (was '" + value + "')");
        }
        if (n > 0) {
            return n;
        }
        throw new IllegalArgumentException("--" + option.name() + " must be a positive byte count such as 1048576,"
                + " 512K, 50M or 2G" + (option.offAllowed() ? ", or off" : "") + " (was '" + value + "')");
    }
}
