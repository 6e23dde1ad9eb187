package io.thumbnail;

import java.util.Locale;

/** The thumbnail's encoding. */
public enum OutputFormat {
    /** PNG when the source has transparency, JPEG otherwise. The default. */
    AUTO("auto"),
    JPEG("jpeg"),
    PNG("png"),
    /**
     * Lossy WebP, with the alpha channel kept exactly when the source has transparency. Needs libwebp's native library,
     * bundled for 64-bit Linux, macOS and Windows: see {@link Thumbnailer#webpUnavailableReason()}.
     */
    WEBP("webp"),
    /**
     * WebP for clients that accept it, and beside it, made from the same pixels, what {@link #AUTO} makes (PNG for
     * transparency, else JPEG) for clients that do not: one job serves both. What a web server makes of {@code auto}
     * when the request's {@code Accept} names {@code image/webp}. Without libwebp, just what {@link #AUTO} makes.
     */
    AUTO_WEBP("auto-webp");

    private final String id;

    OutputFormat(String id) {
        this.id = id;
    }

    /** The lower-case wire name: {@code auto}, {@code jpeg}, {@code png}, {@code webp} or {@code auto-webp}. */
    public String id() {
        return id;
    }

    /** Whether this format may make WebP. */
    public boolean mayBeWebp() {
        return this == WEBP || this == AUTO_WEBP;
    }

    /** Parses an {@link #id()} (or {@code jpg} for {@code jpeg}), in any case. */
    public static OutputFormat parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("jpg")) {
            return JPEG;
        }
        for (OutputFormat format : values()) {
            if (format.id.equals(v)) {
                return format;
            }
        }
        throw new ThumbnailException(ErrorCode.INVALID_SPEC,
                "format must be one of auto, jpeg, png, webp, auto-webp (was '" + value + "')");
    }
}
