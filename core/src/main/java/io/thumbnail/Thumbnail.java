package io.thumbnail;

import java.util.Arrays;
import java.util.Objects;

/**
 * A finished thumbnail: the encoded bytes, their format and size, and what the source was.
 * The byte arrays are owned by this record; callers must not modify them. Two thumbnails are equal when their bytes
 * are, as well as the rest.
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

        /** Equal to another fallback of the same format and bytes. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Fallback other && format == other.format && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * format.hashCode() + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Fallback[" + format.id() + ", " + bytes.length + " bytes]";
        }
    }

    /** Equal to another thumbnail of the same bytes, format, size, source and fallback. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Thumbnail other && format == other.format && width == other.width
                && height == other.height && Arrays.equals(bytes, other.bytes) && source.equals(other.source)
                && Objects.equals(fallback, other.fallback);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, width, height, source, fallback) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Thumbnail[" + format.id() + " " + width + "x" + height + ", " + bytes.length + " bytes"
                + (fallback == null ? "" : ", fallback " + fallback.format().id() + " " + fallback.bytes().length
                + " bytes") + ", source=" + source + "]";
    }
}
