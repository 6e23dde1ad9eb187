package io.thumbnail.internal.source;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads a host written as an IPv4 number the way browsers and curl do (the WHATWG URL standard's IPv4 parser), so
 * the guard judges {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.0.0.1} and {@code 127.1} as the loopback
 * address they reach. Parts may be decimal, octal (leading {@code 0}) or hex ({@code 0x}); the last part fills all
 * remaining bytes. Java's own parsers read {@code 010.0.0.1} as decimal, so the fetcher always connects to the
 * canonical dotted form this class returns, never to the spelling in the URL.
 */
public final class Ipv4Literal {
    private Ipv4Literal() {
    }

    /**
     * The address the host spells, or empty if the host is a name. A host whose last label is numeric but which is
     * not a valid IPv4 number (for example {@code 1.2.3.4.5} or {@code 256.1.1.1}) is refused rather than resolved.
     */
    public static Optional<Inet4Address> parse(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = h.split("\\.", -1);
        if (!isNumber(parts[parts.length - 1])) {
            return Optional.empty();
        }
        if (parts.length > 4) {
            throw new IllegalArgumentException("'" + host + "' is neither a host name nor an IPv4 address");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!isNumber(parts[i])) {
                throw new IllegalArgumentException("'" + host + "' is neither a host name nor an IPv4 address");
            }
            values[i] = value(parts[i], host);
        }
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
            }
        }
        long last = values[values.length - 1];
        int lastBytes = 5 - values.length;
        if (last >= (1L << (8 * lastBytes))) {
            throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
        }
        long address = last;
        for (int i = 0; i < values.length - 1; i++) {
            address |= values[i] << (8 * (3 - i));
        }
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always a valid address
        }
    }

    private static boolean isNumber(String part) {
        if (part.isEmpty()) {
            return false;
        }
        String lower = part.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("0x")) {
            return lower.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return lower.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long value(String part, String host) {
        String lower = part.toLowerCase(java.util.Locale.ROOT);
        int radix = 10;
        String digits = lower;
        if (lower.startsWith("0x")) {
            radix = 16;
            digits = lower.substring(2);
        } else if (lower.length() > 1 && lower.startsWith("0")) {
            radix = 8;
            digits = lower.substring(1);
        }
        if (digits.isEmpty()) {
            return 0;
        }
        if (digits.length() > 12) {
            throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
        }
        try {
            return Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            // an 8 or 9 in an octal part
            throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
        }
    }
}
