package io.thumbnail.server.internal.http;

import java.util.Locale;

/**
 * Reads whether a request's {@code Accept} header names WebP. Only an explicit {@code image/webp} with a quality above
 * zero counts: {@code image/*} and {@code *}{@code /*} are sent by clients that cannot show WebP too (curl, older
 * Safari), and every browser that can show it names it. This is the rule imgproxy, thumbor and the CDNs apply.
 */
public final class AcceptHeader {
    private static final String WEBP = "image/webp";

    private AcceptHeader() {
    }

    /** Whether {@code accept} (a header value, or null when absent) names {@code image/webp} with q above 0. */
    public static boolean namesWebp(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (parts[0].trim().toLowerCase(Locale.ROOT).equals(WEBP) && quality(parts) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The {@code q} parameter of a media range; 1 when absent, 0 when malformed (a client that meant no). */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.length() > 1 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.substring(1).trim().startsWith("=")) {
                try {
                    return Double.parseDouble(p.substring(p.indexOf('=') + 1).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
