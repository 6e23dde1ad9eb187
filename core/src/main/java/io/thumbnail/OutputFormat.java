package io.thumbnail;

import java.util.Locale;

/** The thumbnail's encoding. */
public enum OutputFormat {
    /** PNG when the source has transparency, JPEG otherwise. The default. */
    AUTO,
    JPEG,
    PNG;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code auto}, {@code jpeg} (or {@code jpg}) or {@code png} (any case). */
    public static OutputFormat parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "auto": return AUTO;
            case "jpeg":
            case "jpg": return JPEG;
            case "png": return PNG;
            default:
                throw new ThumbnailException(ErrorCode.INVALID_SPEC,
                        "format must be one of auto, jpeg, png (was '" + value + "')");
        }
    }
}
