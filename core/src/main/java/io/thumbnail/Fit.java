package io.thumbnail;

import java.util.Locale;

/** How a source is fitted into the requested box. */
public enum Fit {
    /** Inside the box, aspect ratio kept; one side may be shorter than the box. The default. */
    CONTAIN,
    /**
     * Fills the box exactly, aspect ratio kept, the overflow cropped: around the centre unless the spec names a
     * {@link Gravity} or a {@link FocalPoint}.
     */
    COVER,
    /** Fills the box exactly, stretched. */
    FILL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code contain}, {@code cover} or {@code fill} (any case). */
    public static Fit parse(String value) {
        for (Fit fit : values()) {
            if (fit.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return fit;
            }
        }
        throw new ThumbnailException(ErrorCode.INVALID_SPEC,
                "fit must be one of contain, cover, fill (was '" + value + "')");
    }
}
