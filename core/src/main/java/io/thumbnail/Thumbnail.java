package io.thumbnail;

import java.util.Objects;

/**
 * A finished thumbnail: the encoded bytes, their format and size, and what the source was.
 * The byte arrays are owned by this record; callers must not modify them.
 *
 * @param fallback for {@link OutputFormat#AUTO_WEBP}, the same pixels as JPEG or PNG for clients without WebP;
 *                 otherwise null
 */
public record Thumbnail(byte[] bytes, ImageFormat format, int width, int height, SourceInfo source,
                        Fallback fallback) {
    public Thumbnail {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(source, "source");
    }

    /** A thumbnail in one format only. */
    public Thumbnail(byte[] bytes, ImageFormat format, int width, int height, SourceInfo source) {
        this(bytes, format, width, height, source, null);
    }

    /** The thumbnail's pixels in a second format, for clients that cannot read the first. */
    public record Fallback(byte[] bytes, ImageFormat format) {
        public Fallback {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(format, "format");
        }
    }

    @Override
    public String toString() {
        return "Thumbnail[" + format.id() + " " + width + "x" + height + ", " + bytes.length + " bytes"
                + (fallback == null ? "" : ", fallback " + fallback.format().id() + " " + fallback.bytes().length
                + " bytes") + ", source=" + source + "]";
    }
}
