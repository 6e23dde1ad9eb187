package io.thumbnail.server.internal.http;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;

import java.nio.charset.StandardCharsets;

/**
 * The download name of a thumbnail: the original's name with {@code .thumbnail.<ext>} (IMG_8667.png ->
 * IMG_8667.thumbnail.jpg). The original name is whatever a client sent, so it is cleaned before it reaches a header:
 * directories dropped, control characters (CR, LF, NUL, bidi overrides), quotes and backslashes removed, its length
 * capped; non-ASCII names get an ASCII {@code filename} and an RFC 6266 {@code filename*}. Names are only ever
 * shown: files are stored under their content hash.
 */
public final class ContentDisposition {
    /** Code points kept of the original's base name. */
    static final int MAX_BASE_LENGTH = 100;

    private ContentDisposition() {
    }

    public static String inline(Job job, ImageFormat format) {
        String name = thumbnailName(job.source() == null ? null : job.source().name(), job.id().toString(), format);
        String ascii = name.replaceAll("[^A-Za-z0-9._ ()-]", "_");
        if (ascii.equals(name)) {
            return "inline; filename=\"" + name + "\"";
        }
        // RFC 6266: old clients read the ASCII fallback, current ones the UTF-8 name.
        return "inline; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncoded(name);
    }

    /** {@code original} cleaned, without its directories and last extension, then {@code .thumbnail.<ext>}. */
    static String thumbnailName(String original, String fallback, ImageFormat format) {
        String base = original == null ? "" : original
                .replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", "")
                .replaceAll(".*[/\\\\]", "")
                .replace("\"", "");
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        base = base.strip().replaceAll("^\\.+", "");
        if (base.codePointCount(0, base.length()) > MAX_BASE_LENGTH) {
            base = base.substring(0, base.offsetByCodePoints(0, MAX_BASE_LENGTH));
        }
        if (base.isBlank()) {
            base = fallback;
        }
        return base + ".thumbnail." + format.extension();
    }

    /** RFC 5987 {@code value-chars}: UTF-8 bytes, each outside the unreserved set as {@code %XX}. */
    static String percentEncoded(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
