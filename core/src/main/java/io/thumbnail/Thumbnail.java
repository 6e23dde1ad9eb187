package io.thumbnail;

import java.util.Objects;

/**
 * A finished thumbnail: the encoded bytes, their format and size, and what the source was.
 * The byte array is owned by this record; callers must not modify it.
 */
public record Thumbnail(byte[] bytes, ImageFormat format, int width, int height, SourceInfo source) {
    public Thumbnail {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return "Thumbnail[" + format.id() + " " + width + "x" + height + ", " + bytes.length + " bytes, source=" + source + "]";
    }
}
