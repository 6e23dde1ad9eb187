package io.thumbnail.server.internal;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The download name of a thumbnail: the original's name with {@code .thumbnail.<ext>} (IMG_8667.png -> IMG_8667.thumbnail.jpg). */
public final class ContentDisposition {
    private ContentDisposition() {
    }

    public static String inline(Job job, ImageFormat format) {
        String name = thumbnailName(job.source() == null ? null : job.source().name(), job.id().toString(), format);
        String ascii = name.replaceAll("[^A-Za-z0-9._ ()-]", "_");
        if (ascii.equals(name)) {
            return "inline; filename=\"" + name + "\"";
        }
        // RFC 6266: old clients read the ASCII fallback, current ones the UTF-8 name.
        return "inline; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code original} without its directories and last extension, then {@code .thumbnail.<ext>}. */
    static String thumbnailName(String original, String fallback, ImageFormat format) {
        String base = original == null ? "" : original.replaceAll(".*[/\\\\]", "");
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        if (base.isBlank()) {
            base = fallback;
        }
        return base + ".thumbnail." + format.extension();
    }
}
